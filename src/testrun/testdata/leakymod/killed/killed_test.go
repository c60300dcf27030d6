//go:build unchecked

// Package killed kills its own test binary, as an OOM killer or a CI timeout would.
package killed

import (
	"os"
	"testing"
	"time"
)

func TestKilled(t *testing.T) {
	p, err := os.FindProcess(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	_ = p.Kill()
	time.Sleep(10 * time.Second) // SIGKILL arrives while the test waits
	t.Fatal("still running after SIGKILL")
}
