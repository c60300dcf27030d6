package fixtures

import (
	"context"
	"net/http"
	"sync"
	"time"
)

// Add before the go statement.
func addFirst(n int) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			process(i)
		}(i)
	}
	wg.Wait()
}

// A goroutine that adds for the goroutines it starts itself (its own count is held by the parent).
func fanOut(groups [][]int) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for _, g := range groups {
			wg.Add(1)
			go func(g []int) {
				defer wg.Done()
				_ = g
			}(g)
		}
	}()
	wg.Wait()
}

// A goroutine using its own local WaitGroup.
func ownGroup(items []int, done chan<- struct{}) {
	go func() {
		var wg sync.WaitGroup
		for _, it := range items {
			wg.Add(1)
			go func(it int) {
				defer wg.Done()
				process(it)
			}(it)
		}
		wg.Wait()
		close(done)
	}()
}

// Add in the goroutine but nobody waits in this function (another counting scheme).
func noWait(wg *sync.WaitGroup) {
	go func() {
		wg.Add(1)
		defer wg.Done()
	}()
}

// Worker pool with Close, http.Server with Shutdown, select on ctx.Done.
type pool struct {
	jobs chan func()
	wg   sync.WaitGroup
}

func newPool(n int) *pool {
	p := &pool{jobs: make(chan func())}
	p.wg.Add(n)
	for i := 0; i < n; i++ {
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
