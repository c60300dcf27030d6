package fixtures

import (
	"context"
	"errors"
	"time"
)

func discarded(parent context.Context) context.Context {
	ctx, _ := context.WithCancel(parent) // want "cancel func of context.WithCancel is discarded"
	return ctx
}

func discardedTimeout(parent context.Context) error {
	ctx, _ := context.WithTimeout(parent, time.Second) // want "cancel func of context.WithTimeout is discarded"
	return work(ctx)
}

func earlyReturn(parent context.Context, bad bool) error {
	ctx, cancel := context.WithTimeout(parent, time.Second) // want "`cancel` from context.WithTimeout is not called on every path: the return at line 22"
	if bad {
		return errors.New("bad input")
	}
	defer cancel()
	return work(ctx)
}

func neverCalledOnElse(parent context.Context, ok bool) {
	ctx, stop := context.WithDeadline(parent, time.Now().Add(time.Minute)) // want "`stop` from context.WithDeadline is not called on every path: the function ends at line 35"
	if ok {
		stop()
		return
	}
	_ = work(ctx)
}

func beforeHandoff(parent context.Context, fail bool) error {
	ctx, cancel := context.WithCancel(parent) // want "the return at line 40 leaves without calling it"
	if fail {
		return errors.New("failed")
	}
	go runUntil(ctx, cancel)
	return nil
}

func inLoop(parent context.Context, items []string) {
	for _, item := range items {
		ctx, cancel := context.WithTimeout(parent, time.Second) // want "`cancel` from context.WithTimeout is not called on every path: the block ends at line 54"
		if item == "" {
			continue
		}
		_ = work(ctx)
		cancel()
	}
}

func work(ctx context.Context) error { return ctx.Err() }

// runUntil calls the cancel func it is given, so passing it counts as calling it.
func runUntil(ctx context.Context, cancel context.CancelFunc) {
	defer cancel()
	<-ctx.Done()
}
