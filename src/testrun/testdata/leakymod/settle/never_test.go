//go:build settle && never

package settle

import "testing"

// The goroutine never ends: a leak.
func TestWatch(t *testing.T) {
	Watch()
}
