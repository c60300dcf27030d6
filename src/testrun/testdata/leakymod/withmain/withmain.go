// Package withmain has a cache whose refresh goroutine can block on a held lock.
package withmain

import "sync"

type Cache struct {
	mu   sync.Mutex
	data map[string]string
}

// Stuck locks the cache and returns without unlocking; the refresher started afterwards waits
// forever on the mutex.
func (c *Cache) Stuck() {
	c.mu.Lock()
	go func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.data = map[string]string{}
	}()
}

// Refresh is the correct form.
func (c *Cache) Refresh() {
	done := make(chan struct{})
	go func() {
		defer close(done)
		c.mu.Lock()
		defer c.mu.Unlock()
		c.data = map[string]string{}
	}()
	<-done
}
