package fixtures

import (
	"context"
	"fmt"
	"time"
)

func idleTimeout(ctx context.Context, in <-chan int) {
	for {
		select {
		case <-ctx.Done():
			return
		case v := <-in:
			fmt.Println(v)
		case <-time.After(time.Minute): // want "time.After in a loop starts a new timer on every iteration: when another case wins, that timer is not collected until it fires \\(before Go 1.23\\)"
			fmt.Println("idle")
		}
	}
}

func drain(jobs chan string) {
	for j := range jobs {
		select {
		case jobs <- j:
		case <-time.After(time.Hour): // want "piles up pending timers"
			return
		}
	}
}

func everyCall() <-chan time.Time {
	return time.Tick(time.Second) // want "before Go 1.23 it is never garbage-collected, so each call leaks a ticker"
}

// The loop can stop, the ticker cannot: after the break it keeps firing for nobody.
func pollUntilDone(done func() bool) {
	for range time.Tick(time.Second) { // want "before Go 1.23 it is never garbage-collected"
		if done() {
			break
		}
	}
}
