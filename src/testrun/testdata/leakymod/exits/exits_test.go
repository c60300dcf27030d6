//go:build unchecked

// Package exits ends its test binary through syscall.Exit, which no deferred call, TestMain or
// harness sees: goroscope must report the package as not checked.
package exits

import (
	"syscall"
	"testing"
)

func TestExitsEarly(t *testing.T) {
	syscall.Exit(0)
}
