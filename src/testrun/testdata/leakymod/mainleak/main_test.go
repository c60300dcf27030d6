//go:build mainleak

package mainleak

import (
	"os"
	"testing"
)

// TestMain leaks a reader: it freezes the registry, then starts a goroutine that waits for the
// read lock forever. goroscope wraps this TestMain and must report the leak as TestMain's.
func TestMain(m *testing.M) {
	Freeze()
	go Count()
	os.Exit(m.Run())
}

func TestA(t *testing.T) {}

func TestB(t *testing.T) {}
