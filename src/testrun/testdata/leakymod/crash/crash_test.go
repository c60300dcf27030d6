//go:build unchecked

// Package crash panics on a goroutine of its own, which takes the test binary down.
package crash

import "testing"

func TestCrash(t *testing.T) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		panic("crash on a background goroutine")
	}()
	<-done
}
