package fixtures

import (
	"context"
	"net/http"
	"sync"
	"time"
)

// defer wg.Done as the first statement.
func deferred(ids []int) {
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func(id int) {
			defer wg.Done()
			if _, err := fetch(id); err != nil {
				return
			}
		}(id)
	}
	wg.Wait()
}

// Done called on every path.
func everyPath(ids []int) {
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func(id int) {
			r, err := fetch(id)
			if err != nil {
				wg.Done()
				return
			}
			_ = r
			wg.Done()
		}(id)
	}
	wg.Wait()
}

// Done in a deferred closure.
func deferredClosure(n int) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer func() {
			wg.Done()
		}()
		if n > 0 {
			return
		}
	}()
	wg.Wait()
}

// Done used as a "started" signal: after it, returning is fine.
func startedSignal(ctx context.Context, work chan int) {
	var ready sync.WaitGroup
	ready.Add(1)
	go func() {
		ready.Done()
		for {
			select {
			case <-ctx.Done():
				return
			case w := <-work:
				_ = w
			}
		}
	}()
	ready.Wait()
}

// A goroutine that calls Done once per item: several Dones, no single owed one.
func perItem(items []int) {
	var wg sync.WaitGroup
	wg.Add(len(items))
	go func() {
		for _, it := range items {
			if it < 0 {
				return
			}
			wg.Done()
		}
	}()
	wg.Wait()
}

// A return inside a nested function literal does not leave the goroutine.
func nestedReturn(items []int) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		check := func(i int) bool {
			if i < 0 {
				return false
			}
			return true
		}
		for _, it := range items {
			check(it)
		}
		wg.Done()
	}()
	wg.Wait()
}

// Worker pool with Close, http.Server with Shutdown, select on ctx.Done.
type pool struct {
	jobs chan func()
	wg   sync.WaitGroup
}

func newPool(n int) *pool {
	p := &pool{jobs: make(chan func())}
	for i := 0; i < n; i++ {
		p.wg.Add(1)
		go p.run()
	}
	return p
}

func (p *pool) run() {
	defer p.wg.Done()
	for j := range p.jobs {
		j()
	}
}

func (p *pool) Close() {
	close(p.jobs)
	p.wg.Wait()
}

func serve(ctx context.Context, srv *http.Server) error {
	var wg sync.WaitGroup
	errc := make(chan error, 1)
	wg.Add(1)
	go func() {
		defer wg.Done()
		errc <- srv.ListenAndServe()
	}()
	select {
	case err := <-errc:
		wg.Wait()
		return err
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		err := srv.Shutdown(sctx)
		wg.Wait()
		return err
	}
}

// A panic path is out of scope.
func panics(n int) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		if n < 0 {
			panic("negative")
		}
		wg.Done()
	}()
	wg.Wait()
}

// A helper that adds and starts its own goroutine does not pay the caller's Done.
func bgrun(wg *sync.WaitGroup, f func()) {
	wg.Add(1)
	go func() {
		defer wg.Done()
		f()
	}()
}

// A goroutine's own local WaitGroup: returning early owes nobody a Done.
func installAll(pkgs []string, done chan struct{}) {
	go func() {
		defer close(done)
		var wg sync.WaitGroup
		if len(pkgs) == 0 {
			return
		}
		wg.Add(1)
		go func() {
			_ = pkgs
		}()
		if len(pkgs) == 1 {
			return
		}
		wg.Done()
		bgrun(&wg, func() {})
		wg.Wait()
	}()
}

// The resolver counts its own lookups on a package WaitGroup (Add, then Done) so tests can wait
// for them; a goroutine that calls it is not paying anyone's Done with that call.
var lookups sync.WaitGroup

func lookup(host string) string {
	lookups.Add(1)
	defer lookups.Done()
	return host
}

func proxyAll(hosts []string) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if len(hosts) == 0 {
			return
		}
		_ = lookup(hosts[0])
	}()
	wg.Wait()
	lookups.Wait()
}
