// Package ticker polls a condition on a time.Ticker until it holds or the context ends.
//
// The leak: a ticker that is never stopped keeps firing. Before Go 1.23 (and in modules
// whose go.mod says go 1.22 or older, like this one) an unstopped ticker is never garbage
// collected either: the runtime timer and its channel stay alive after the function has
// returned, one more on every call.
package ticker

import (
	"context"
	"time"
)

// WaitUntilLeaky returns when check() is true or ctx ends, leaving its ticker running.
func WaitUntilLeaky(ctx context.Context, every time.Duration, check func() bool) bool {
	t := time.NewTicker(every) // never stopped
	for {
		select {
		case <-ctx.Done():
			return false
		case <-t.C:
			if check() {
				return true
			}
		}
	}
}

// WaitUntilFixed stops the ticker on every return.
func WaitUntilFixed(ctx context.Context, every time.Duration, check func() bool) bool {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return false
		case <-t.C:
			if check() {
				return true
			}
		}
	}
}
