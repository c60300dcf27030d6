package fixtures

import (
	"errors"
	"sync"
)

type result struct{ n int }

func fetch(i int) (result, error) {
	if i < 0 {
		return result{}, errors.New("negative")
	}
	return result{n: i}, nil
}

// The error path returns before Done.
func fetchAll(ids []int) []result {
	var wg sync.WaitGroup
	var mu sync.Mutex
	var out []result
	for _, id := range ids {
		wg.Add(1)
		go func(id int) {
			r, err := fetch(id)
			if err != nil {
				return // want "goroutine returns here without calling `wg.Done\\(\\)`"
			}
			mu.Lock()
			out = append(out, r)
			mu.Unlock()
			wg.Done()
		}(id)
	}
	wg.Wait()
	return out
}

// A named worker with the WaitGroup as a parameter: the return inside the loop skips Done.
func worker(jobs <-chan int, wg *sync.WaitGroup, results chan<- int) {
	for j := range jobs {
		if j == 0 {
			return // want "goroutine returns here without calling `wg.Done\\(\\)`"
		}
		results <- j * 2
	}
	wg.Done()
}

func runWorkers(jobs <-chan int, results chan<- int) {
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go worker(jobs, &wg, results)
	}
	wg.Wait()
	close(results)
}

// A WaitGroup field on the receiver, with a select that returns early.
type server struct {
	wg   sync.WaitGroup
	quit chan struct{}
	reqs chan int
}

func (s *server) handle() {
	select {
	case <-s.quit:
		return // want "goroutine returns here without calling `s.wg.Done\\(\\)`"
	case r := <-s.reqs:
		_ = r
	}
	s.wg.Done()
}

func (s *server) start() {
	s.wg.Add(1)
	go s.handle()
}

func (s *server) stop() {
	close(s.quit)
	s.wg.Wait()
}

// Done through a same-package helper counts as the Done.
func finish(wg *sync.WaitGroup) { wg.Done() }

func viaHelper(n int) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		if n > 10 {
			return // want "goroutine returns here without calling `wg.Done\\(\\)`"
		}
		finish(&wg)
	}()
	wg.Wait()
}

// The deferred Done is registered only after a validation that can return.
type Indexer struct {
	wg sync.WaitGroup
}

func (ix *Indexer) IndexAll(docs []string) {
	for _, d := range docs {
		ix.wg.Add(1)
		go func(d string) {
			if d == "" {
				return // want "goroutine returns here before `defer ix.wg.Done\\(\\)` has run"
			}
			defer ix.wg.Done()
			println(d)
		}(d)
	}
	ix.wg.Wait()
}
