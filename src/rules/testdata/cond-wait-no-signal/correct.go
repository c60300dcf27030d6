package fixtures

import (
	"context"
	"net/http"
	"sync"
	"time"
)

// Broadcast in a setter, on the same field name, in another method.
type gate struct {
	mu     sync.Mutex
	cond   *sync.Cond
	opened bool
}

func newGate() *gate {
	g := &gate{}
	g.cond = sync.NewCond(&g.mu)
	return g
}

func (g *gate) Open() {
	g.mu.Lock()
	g.opened = true
	g.cond.Broadcast()
	g.mu.Unlock()
}

func (g *gate) Wait() {
	g.mu.Lock()
	for !g.opened {
		g.cond.Wait()
	}
	g.mu.Unlock()
}

// A local cond signalled from a goroutine.
func handshake() {
	var mu sync.Mutex
	c := sync.NewCond(&mu)
	ready := false
	go func() {
		mu.Lock()
		ready = true
		c.Signal()
		mu.Unlock()
	}()
	mu.Lock()
	for !ready {
		c.Wait()
	}
	mu.Unlock()
}

// The cond escapes to other code, which may signal it.
func notifyLater(c *sync.Cond) {}

func escapes() {
	var mu sync.Mutex
	c := sync.NewCond(&mu)
	notifyLater(c)
	mu.Lock()
	c.Wait()
	mu.Unlock()
}

// A struct literal hands in a cond that is signalled under another name.
type waiter struct {
	wake *sync.Cond
}

func (w *waiter) sleep() { w.wake.Wait() }

func sharedCond() {
	var mu sync.Mutex
	c := sync.NewCond(&mu)
	w := &waiter{wake: c}
	go func() {
		mu.Lock()
		c.Broadcast()
		mu.Unlock()
	}()
	mu.Lock()
	w.sleep()
	mu.Unlock()
}

// An exported field can be signalled by other packages.
type Barrier struct {
	Ready *sync.Cond
}

func (b *Barrier) Await() { b.Ready.Wait() }

// A cond parameter: the caller owns it.
func waitOn(c *sync.Cond) { c.Wait() }

// Worker pool with Close, http.Server with Shutdown, select on ctx.Done.
type pool struct {
	jobs chan func()
	wg   sync.WaitGroup
}

func newPool(n int) *pool {
	p := &pool{jobs: make(chan func())}
	for i := 0; i < n; i++ {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			for j := range p.jobs {
				j()
			}
		}()
	}
	return p
}

func (p *pool) Close() {
	close(p.jobs)
	p.wg.Wait()
}

func serve(ctx context.Context, srv *http.Server) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		return srv.Shutdown(sctx)
	}
}
