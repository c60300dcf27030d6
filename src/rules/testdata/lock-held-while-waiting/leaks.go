package fixtures

import "sync"

// The dispatcher hands a job over while holding the lock its worker needs before receiving.
type Dispatcher struct {
	mu      sync.Mutex
	jobs    chan string
	pending int
}

func NewDispatcher() *Dispatcher {
	d := &Dispatcher{jobs: make(chan string)}
	go d.work()
	return d
}

func (d *Dispatcher) Dispatch(job string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.pending++
	d.jobs <- job // want "the send on `d.jobs` waits while holding `d.mu`, but every receive from it"
}

func (d *Dispatcher) work() {
	for {
		d.mu.Lock()
		job := <-d.jobs
		d.pending--
		d.mu.Unlock()
		println(job)
	}
}

// Waiting for workers while holding the lock each worker takes before Done.
type Batch struct {
	mu      sync.Mutex
	wg      sync.WaitGroup
	results []int
}

func (b *Batch) Run(n int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for i := 0; i < n; i++ {
		b.wg.Add(1)
		go b.compute(i)
	}
	b.wg.Wait() // want "`b.wg.Wait\\(\\)` waits while holding `b.mu`, but every Done"
}

func (b *Batch) compute(i int) {
	b.mu.Lock()
	b.results = append(b.results, i*i)
	b.wg.Done()
	b.mu.Unlock()
}
