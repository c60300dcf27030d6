// Package submitstopped is a job dispatcher whose Submit selects on the jobs channel and on the
// quit channel, so a job submitted during or after shutdown gets ErrStopped instead of blocking.
package submitstopped

import (
	"errors"
	"fmt"
	"sync"
)

var ErrStopped = errors.New("dispatcher stopped")

type job struct {
	id   int
	name string
}

// Dispatcher runs submitted jobs one at a time.
type Dispatcher struct {
	jobs     chan job
	quit     chan struct{}
	stopOnce sync.Once
	wg       sync.WaitGroup

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
			d.mu.Lock()
			d.done = append(d.done, j.id)
			d.mu.Unlock()
		case <-d.quit:
			return
		}
	}
}

// Submit hands a job to the worker loop, or fails once the dispatcher is stopped.
func (d *Dispatcher) Submit(j job) error {
	select {
	case d.jobs <- j:
		return nil
	case <-d.quit:
		return ErrStopped
	}
}

// Stop ends the worker loop and waits for it; it may be called more than once.
func (d *Dispatcher) Stop() {
	d.stopOnce.Do(func() { close(d.quit) })
	d.wg.Wait()
}

func Run() {
	d := NewDispatcher()
	fmt.Println(d.Submit(job{id: 1, name: "reindex"}))
	d.Stop()
	errc := make(chan error, 1)
	go func() { errc <- d.Submit(job{id: 2, name: "compact"}) }()
	fmt.Println(<-errc)
	d.Stop()
}
