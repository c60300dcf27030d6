//go:build settle

package settle

import (
	"testing"
	"time"
)

// The goroutine ends 200 ms after the test: a goroutine finishing, not a leak.
func TestLateFlush(t *testing.T) {
	Flush(200 * time.Millisecond)
}
