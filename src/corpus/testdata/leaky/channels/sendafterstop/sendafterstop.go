// Package sendafterstop is a job dispatcher with a single worker loop. Stop ends the loop, but
// Submit still sends on the unbuffered jobs channel without watching for the stop, so a job
// submitted during or after shutdown blocks its caller forever.
package sendafterstop

import (
	"fmt"
	"sync"
)

type job struct {
	id   int
	name string
}

// Dispatcher runs submitted jobs one at a time.
type Dispatcher struct {
	jobs chan job
	quit chan struct{}
	wg   sync.WaitGroup

	mu   sync.Mutex
	done []int
}

func NewDispatcher() *Dispatcher {
	d := &Dispatcher{jobs: make(chan job), quit: make(chan struct{})}
	d.wg.Add(1)
	go d.loop()
	return d
}

func (d *Dispatcher) loop() {
	defer d.wg.Done()
	for {
		select {
		case j := <-d.jobs:
			d.run(j)
		case <-d.quit:
			return
		}
	}
}

func (d *Dispatcher) run(j job) {
	d.mu.Lock()
	d.done = append(d.done, j.id)
	d.mu.Unlock()
}

// Submit hands a job to the worker loop.
func (d *Dispatcher) Submit(j job) {
	d.jobs <- j // leak: chan send
}

// Stop ends the worker loop and waits for it.
func (d *Dispatcher) Stop() {
	close(d.quit)
	d.wg.Wait()
}

func Run() {
	d := NewDispatcher()
	d.Submit(job{id: 1, name: "reindex"})
	d.Stop()
	// A request handler that raced with shutdown.
	go d.Submit(job{id: 2, name: "compact"}) // leak-go
	d.mu.Lock()
	fmt.Println("jobs run:", d.done)
	d.mu.Unlock()
}
