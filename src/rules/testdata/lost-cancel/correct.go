package fixtures

import (
	"context"
	"net/http"
	"sync"
	"time"
)

func deferred(parent context.Context) error {
	ctx, cancel := context.WithTimeout(parent, time.Second)
	defer cancel()
	return work(ctx)
}

func returnedToCaller(parent context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(parent)
	return ctx, cancel
}

type worker struct {
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

func newWorker() *worker {
	w := &worker{}
	w.ctx, w.cancel = context.WithCancel(context.Background())
	return w
}

func (w *worker) start(parent context.Context) {
	ctx, cancel := context.WithCancel(parent)
	w.cancel = cancel
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		<-ctx.Done()
	}()
}

func (w *worker) Close() {
	w.cancel()
	w.wg.Wait()
}

// Stored in a field with no visible caller: someone else owns it, stay silent.
type holder struct{ stop func() }

func (h *holder) init(parent context.Context) context.Context {
	ctx, cancel := context.WithCancel(parent)
	h.stop = cancel
	return ctx
}

func deferredInClosure(parent context.Context) error {
	ctx, cancel := context.WithTimeout(parent, time.Second)
	defer func() {
		cancel()
	}()
	return work(ctx)
}

func cancelledByGoroutine(parent context.Context, done <-chan struct{}) context.Context {
	ctx, cancel := context.WithCancel(parent)
	go func() {
		<-done
		cancel()
	}()
	return ctx
}

func wideScope(parent context.Context, limit bool) error {
	ctx := parent
	var cancel context.CancelFunc = func() {}
	if limit {
		ctx, cancel = context.WithTimeout(parent, time.Second)
	}
	defer cancel()
	return work(ctx)
}

func passedElsewhere(parent context.Context) {
	ctx, cancel := context.WithCancel(parent)
	time.AfterFunc(time.Second, cancel)
	_ = work(ctx)
}

func errorPath(parent context.Context, bad bool) error {
	ctx, cancel := context.WithTimeout(parent, time.Second)
	if bad {
		cancel()
		return context.Canceled
	}
	defer cancel()
	return work(ctx)
}

func panics(parent context.Context, bad bool) error {
	ctx, cancel := context.WithCancel(parent)
	if bad {
		panic("bad")
	}
	defer cancel()
	return work(ctx)
}

func selectOnDone(parent context.Context, in <-chan int) int {
	ctx, cancel := context.WithTimeout(parent, time.Second)
	defer cancel()
	select {
	case <-ctx.Done():
		return 0
	case v := <-in:
		return v
	}
}

func serve(srv *http.Server, parent context.Context) error {
	go func() { _ = srv.ListenAndServe() }()
	<-parent.Done()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.Shutdown(ctx)
}

func loopWithCancel(parent context.Context, items []string) {
	for range items {
		ctx, cancel := context.WithTimeout(parent, time.Second)
		_ = work(ctx)
		cancel()
	}
}

var globalCancel context.CancelFunc

func setGlobal(parent context.Context) context.Context {
	var ctx context.Context
	ctx, globalCancel = context.WithCancel(parent)
	return ctx
}

// The only path that skips cancel leaves on the parent's Done: the parent is already cancelled,
// and it has dropped the derived context with it.
func fetchOrGiveUp(parent context.Context, work <-chan string) (string, error) {
	ctx, cancel := context.WithTimeout(parent, time.Second)
	select {
	case <-parent.Done():
		return "", parent.Err()
	case s := <-work:
		cancel()
		_ = ctx
		return s, nil
	}
}
