package fixtures

import "sync"

// A cache whose Set calls Len while holding the lock Len takes.
type Cache struct {
	mu    sync.Mutex
	items map[string]string
	limit int
}

func NewCache(limit int) *Cache { return &Cache{items: map[string]string{}, limit: limit} }

func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.items)
}

func (c *Cache) Set(k, v string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.Len() >= c.limit { // want "`Len` is called with `c.mu` locked, and it takes `c.mu` again"
		return
	}
	c.items[k] = v
}

// Two hops: Flush holds the lock and calls a helper that calls a locking method.
func (c *Cache) evictAll() {
	for k := range c.items {
		c.remove(k)
	}
}

func (c *Cache) remove(k string) {
	c.mu.Lock()
	delete(c.items, k)
	c.mu.Unlock()
}

func (c *Cache) Flush() {
	c.mu.Lock()
	c.evictAll() // want "`evictAll` is called with `c.mu` locked, and it takes `c.mu` again"
	c.mu.Unlock()
}

// A lock taken twice in one function, through a lock helper.
type Counter struct {
	mu sync.Mutex
	n  int
}

func (c *Counter) lock() { c.mu.Lock() }

func (c *Counter) Incr() {
	c.lock()
	c.n++
	c.mu.Lock() // want "`c.mu` is locked while this goroutine already holds it"
	c.mu.Unlock()
}

// RLock under RLock deadlocks when a writer queues in between: the registry has one.
type Registry struct {
	mu    sync.RWMutex
	names map[string]int
}

func (r *Registry) Lookup(n string) (int, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	v, ok := r.names[n]
	return v, ok
}

func (r *Registry) Describe(n string) string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if _, ok := r.Lookup(n); !ok { // want "`Lookup` is called with `r.mu` read-locked, and it takes `r.mu` again"
		return "unknown"
	}
	return n
}

func (r *Registry) Add(n string) {
	r.mu.Lock()
	r.names[n] = len(r.names)
	r.mu.Unlock()
}
