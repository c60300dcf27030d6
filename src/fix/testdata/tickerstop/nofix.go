package tickerstop

import (
	"context"
	"time"
)

// Background reads the ticker from a goroutine that outlives the call: a deferred Stop would
// stop it under that goroutine.
func Background(ctx context.Context, every time.Duration, tick func()) {
	t := time.NewTicker(every)
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				tick()
			}
		}
	}()
}

// PerItem makes a ticker in a loop: a defer there would pile up until the function returns.
func PerItem(ctx context.Context, items []string, every time.Duration, ok func(string) bool) {
	for _, it := range items {
		t := time.NewTicker(every)
		for !ok(it) {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}
}
