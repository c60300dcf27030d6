package fixtures

import (
	"errors"
	"sync"
)

var errMissing = errors.New("missing")

type cache struct {
	mu    sync.Mutex
	items map[string]int
}

// get forgets the release on the miss path.
func (c *cache) get(k string) (int, error) {
	c.mu.Lock()
	v, ok := c.items[k]
	if !ok {
		return 0, errMissing // want "return leaves `c.mu` locked"
	}
	c.mu.Unlock()
	return v, nil
}

type registry struct {
	sync.RWMutex
	names map[string]bool
}

// has keeps the embedded read lock on the early return.
func (r *registry) has(n string) bool {
	r.RLock()
	if r.names == nil {
		return false // want "return leaves `r` locked: `r.RLock\\(\\)` is not released"
	}
	ok := r.names[n]
	r.RUnlock()
	return ok
}

var (
	counterMu sync.Mutex
	counter   int
)

// bump returns from inside a switch, still owning the package-level mutex.
func bump(by int) int {
	counterMu.Lock()
	switch {
	case by < 0:
		return counter // want "return leaves `counterMu` locked"
	case by == 0:
		counterMu.Unlock()
		return counter
	}
	counter += by
	counterMu.Unlock()
	return counter
}

// drain skips the release with continue; the next iteration's Lock blocks.
func drain(mu *sync.Mutex, queue [][]int) int {
	total := 0
	for _, q := range queue {
		mu.Lock()
		if len(q) == 0 {
			continue // want "continue skips `mu.Unlock\\(\\)`"
		}
		total += q[0]
		mu.Unlock()
	}
	return total
}

// Inside a goroutine: the worker returns on error, keeping the mutex.
func startWorker(mu *sync.Mutex, results map[int]int, work func(int) (int, error)) {
	go func() {
		for i := 0; i < 10; i++ {
			v, err := work(i)
			mu.Lock()
			if err != nil {
				return // want "return leaves `mu` locked"
			}
			results[i] = v
			mu.Unlock()
		}
	}()
}

// A poller's endless loop releases the lock on every round, except when it returns on error.
type poller struct {
	mu      sync.Mutex
	pending []string
	fetch   func() (string, error)
}

func (p *poller) run() {
	for {
		p.mu.Lock()
		v, err := p.fetch()
		if err != nil {
			return // want "return leaves `p.mu` locked: `p.mu.Lock\\(\\)` is not released on this path \\(other paths round the loop call"
		}
		p.pending = append(p.pending, v)
		p.mu.Unlock()
	}
}

func (p *poller) Start() { go p.run() }

// Leaving the loop with break keeps the lock the next Lock waits for.
func (p *poller) drainUntilEmpty() {
	for {
		p.mu.Lock()
		if len(p.pending) == 0 {
			break // want "break leaves the loop with `p.mu` locked"
		}
		p.pending = p.pending[1:]
		p.mu.Unlock()
	}
}
