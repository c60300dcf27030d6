package fixtures

import "sync"

// The locked variant is called with the lock held; the public one takes it.
type Pool struct {
	mu   sync.Mutex
	free []int
}

func (p *Pool) sizeLocked() int { return len(p.free) }

func (p *Pool) Size() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.sizeLocked()
}

func (p *Pool) Put(x int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.sizeLocked() > 100 {
		return
	}
	p.free = append(p.free, x)
}

// Different instances of one type: locking a's then b's mutex is not a double lock.
type Account struct {
	mu      sync.Mutex
	balance int
}

func (a *Account) Balance() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.balance
}

func (a *Account) Compare(b *Account) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.balance > b.Balance()
}

// The lock is released before the call.
func (p *Pool) Drain() int {
	p.mu.Lock()
	n := len(p.free)
	p.free = nil
	p.mu.Unlock()
	return n + p.Size()
}

// Read locks only, and nothing ever write-locks: a second RLock cannot wait on a writer.
type Config struct {
	mu   sync.RWMutex
	vals map[string]string
}

func (c *Config) Get(k string) string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.vals[k]
}

func (c *Config) Dump() []string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := []string{}
	for k := range c.vals {
		out = append(out, c.Get(k))
	}
	return out
}

// An unlock helper and a lock helper around a call that locks.
func (p *Pool) lock()   { p.mu.Lock() }
func (p *Pool) unlock() { p.mu.Unlock() }

func (p *Pool) Reset() {
	p.lock()
	p.free = nil
	p.unlock()
	_ = p.Size()
}

// A mutex used as a semaphore: locked, handed to a goroutine that unlocks it, locked again to
// wait for that goroutine.
func waitForStart(start func()) {
	var mu sync.Mutex
	mu.Lock()
	go func() {
		start()
		mu.Unlock()
	}()
	mu.Lock()
}

// The Unlock is handed to the server as its started callback: locking again waits for it.
type Server struct {
	OnStarted func()
}

func startAndWait(srv *Server, run func(*Server)) {
	var started sync.Mutex
	started.Lock()
	srv.OnStarted = started.Unlock
	go run(srv)
	started.Lock()
}
