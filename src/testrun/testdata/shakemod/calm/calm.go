// Package calm holds the fixed twins of package races: the same code shapes without the
// schedule-dependent leaks. Under any schedule its tests leave no goroutine behind.
package calm

import "sync"

// Fetch returns the first of two answers; the loser's send always has a slot.
func Fetch(primary, replica func() int) int {
	answers := make(chan int, 2)
	ask := func(f func() int) { answers <- f() }
	go ask(primary)
	go ask(replica)
	return <-answers
}

// Watch streams the changes until the caller cancels; the producer selects on both.
func Watch(changes []string, prepare func(string) string) (<-chan string, func()) {
	out := make(chan string)
	stop := make(chan struct{})
	go func() {
		for _, c := range changes {
			select {
			case <-stop:
				return
			case out <- prepare(c):
			}
		}
	}()
	return out, func() { close(stop) }
}

type Account struct {
	ID      int
	mu      sync.Mutex
	balance int
}

// Transfer always locks the account with the lower ID first.
func Transfer(from, to *Account, amount int) {
	first, second := from, to
	if to.ID < from.ID {
		first, second = to, from
	}
	first.mu.Lock()
	defer first.mu.Unlock()
	second.mu.Lock()
	defer second.mu.Unlock()
	from.balance -= amount
	to.balance += amount
}

// Gather adds to the WaitGroup before starting each worker.
func Gather(inputs []int, work func(int) int) []int {
	jobs := make(chan int)
	results := make(chan int)
	var wg sync.WaitGroup
	for range inputs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results <- work(<-jobs)
		}()
	}
	go func() {
		for _, in := range inputs {
			jobs <- in
		}
	}()
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	var out []int
	for {
		select {
		case r := <-results:
			out = append(out, r)
		case <-done:
			return out
		}
	}
}

// Counter is guarded by a RWMutex, and Once-initialised; Cond wakes a waiter.
type Counter struct {
	once  sync.Once
	mu    sync.RWMutex
	cond  *sync.Cond
	n     int
	ready bool
}

func (c *Counter) init() { c.once.Do(func() { c.cond = sync.NewCond(&c.mu) }) }

func (c *Counter) Inc() {
	c.init()
	c.mu.Lock()
	c.n++
	c.ready = true
	c.mu.Unlock()
	c.cond.Broadcast()
}

func (c *Counter) WaitReady() int {
	c.init()
	c.mu.Lock()
	defer c.mu.Unlock()
	for !c.ready {
		c.cond.Wait()
	}
	return c.n
}

func (c *Counter) Get() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.n
}
