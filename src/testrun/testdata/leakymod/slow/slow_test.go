//go:build slow

package slow

import (
	"os"
	"os/signal"
	"path/filepath"
	"testing"
	"time"
)

// TestSlow says it has started (in $SLOW_STARTED, when set), then sleeps for a minute; with
// SLOW_IGNORE_SIGINT=1 it ignores SIGINT, as a test that traps signals would.
func TestSlow(t *testing.T) {
	if os.Getenv("SLOW_IGNORE_SIGINT") == "1" {
		signal.Ignore(os.Interrupt)
	}
	if dir := os.Getenv("SLOW_STARTED"); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, "started"), []byte("1"), 0o644)
	}
	time.Sleep(time.Minute)
}
