package selectdone

import (
	"context"
	"time"
)

// Until leaves on a timer, not on a context the sender could watch: no sure fix.
func Until(next func() int, use func(int), limit time.Duration) {
	ch := make(chan int)
	go func() {
		for {
			ch <- next()
		}
	}()
	deadline := time.After(limit)
	for {
		select {
		case v := <-ch:
			use(v)
		case <-deadline:
			return
		}
	}
}

// Shadowed: the goroutine has its own ctx, so the receiver's ctx.Done() is not the one it sees.
func Shadowed(ctx context.Context, next func() int, use func(int)) {
	ch := make(chan int)
	go func() {
		ctx := context.Background()
		_ = ctx
		for {
			ch <- next()
		}
	}()
	for {
		select {
		case v := <-ch:
			use(v)
		case <-ctx.Done():
			return
		}
	}
}
