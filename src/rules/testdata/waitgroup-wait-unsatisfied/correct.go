package fixtures

import (
	"context"
	"net/http"
	"sync"
	"time"
)

// Skip checks before Add(1).
func skipFirst(jobs []job) {
	var wg sync.WaitGroup
	for _, j := range jobs {
		if !j.valid {
			continue
		}
		wg.Add(1)
		go func(j job) {
			defer wg.Done()
			handle(j)
		}(j)
	}
	wg.Wait()
}

// Add(len) with the parent marking Done for skipped items.
func doneOnSkip(jobs []job) {
	var wg sync.WaitGroup
	wg.Add(len(jobs))
	for _, j := range jobs {
		if !j.valid {
			wg.Done()
			continue
		}
		go func(j job) {
			defer wg.Done()
			handle(j)
		}(j)
	}
	wg.Wait()
}

// Add(len) with a goroutine for every item.
func everyItem(jobs []job) {
	var wg sync.WaitGroup
	wg.Add(len(jobs))
	for _, j := range jobs {
		go func(j job) {
			defer wg.Done()
			if !j.valid {
				return
			}
			handle(j)
		}(j)
	}
	wg.Wait()
}

// A break inside a select in the loop leaves the select, not the loop.
func selectBreak(ctx context.Context, jobs []job, gate chan struct{}) {
	var wg sync.WaitGroup
	wg.Add(len(jobs))
	for _, j := range jobs {
		select {
		case <-gate:
		default:
			break
		}
		go func(j job) {
			defer wg.Done()
			handle(j)
		}(j)
	}
	wg.Wait()
}

// A constant Add matching the goroutines started.
func two(a, b job) {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		handle(a)
	}()
	go func() {
		defer wg.Done()
		handle(b)
	}()
	wg.Wait()
}

// A constant Add where the WaitGroup is also handed to other code: nothing is claimed.
func shared(a job, register func(*sync.WaitGroup)) {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		handle(a)
	}()
	register(&wg)
	wg.Wait()
}

// Pointer parameter: Done marks the caller's WaitGroup.
func pointerWorker(id int, wg *sync.WaitGroup) {
	defer wg.Done()
	handle(job{id: id})
}

func startPointerWorkers(n int) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go pointerWorker(i, &wg)
	}
	wg.Wait()
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
	var wg sync.WaitGroup
	wg.Add(1)
	errc := make(chan error, 1)
	go func() {
		defer wg.Done()
		errc <- srv.ListenAndServe()
	}()
	var err error
	select {
	case err = <-errc:
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		err = srv.Shutdown(sctx)
	}
	wg.Wait()
	return err
}

// Two goroutines in the loop: the continue comes after one of them has started.
func twoKinds(jobs []job) {
	var wg sync.WaitGroup
	wg.Add(len(jobs))
	for _, j := range jobs {
		if j.valid {
			go func(j job) {
				defer wg.Done()
				handle(j)
			}(j)
			continue
		}
		go func() {
			defer wg.Done()
		}()
	}
	wg.Wait()
}

// The parent pays the skipped share through a helper.
func markDone(wg *sync.WaitGroup) { wg.Done() }

func helperOnSkip(jobs []job) {
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Add(1)
		if !j.valid {
			markDone(&wg)
			continue
		}
		go func(j job) {
			defer wg.Done()
			handle(j)
		}(j)
	}
	wg.Wait()
}

// Every fetch marks itself done; Close waits for them all.
type Fetcher struct {
	wg    sync.WaitGroup
	pages chan string
}

func NewFetcher() *Fetcher { return &Fetcher{pages: make(chan string, 100)} }

func (f *Fetcher) Fetch(urls []string) {
	for _, u := range urls {
		f.wg.Add(1)
		go f.fetch(u)
	}
}

func (f *Fetcher) fetch(u string) {
	defer f.wg.Done()
	f.pages <- u
}

func (f *Fetcher) Close() {
	f.wg.Wait()
	close(f.pages)
}

// Wait inside the loop serialises the workers, but each one's value is received before it.
func squaresInOrder(xs []int) []int {
	var wg sync.WaitGroup
	out := make(chan int, 1)
	var res []int
	for _, x := range xs {
		wg.Add(1)
		go func(x int) {
			defer wg.Done()
			out <- x * x
		}(x)
		wg.Wait()
		res = append(res, <-out)
	}
	return res
}

// A WaitGroup handed to a helper that marks it done.
type Group struct{ wg sync.WaitGroup }

func finish(wg *sync.WaitGroup) { wg.Done() }

func (g *Group) Run(fs []func()) {
	for _, f := range fs {
		g.wg.Add(1)
		go func(f func()) {
			f()
			finish(&g.wg)
		}(f)
	}
	g.wg.Wait()
}

// Done handed over as a method value: the callback calls it.
func afterAll(n int, schedule func(func())) {
	var wg sync.WaitGroup
	wg.Add(n)
	for i := 0; i < n; i++ {
		schedule(wg.Done)
	}
	wg.Wait()
}
