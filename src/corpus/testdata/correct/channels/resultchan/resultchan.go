// Package resultchan is a cache whose Warm method preloads keys in the background and returns a
// channel with the outcome. The channel has room for the one result, and the caller reads it
// anyway, after the first requests have been served.
package resultchan

import (
	"fmt"
	"sync"
)

// Cache is an in-memory cache in front of a loader.
type Cache struct {
	mu     sync.Mutex
	values map[string]string
	load   func(key string) (string, error)
}

func NewCache(load func(string) (string, error)) *Cache {
	return &Cache{values: make(map[string]string), load: load}
}

func (c *Cache) fill(keys []string) error {
	for _, k := range keys {
		v, err := c.load(k)
		if err != nil {
			return err
		}
		c.mu.Lock()
		c.values[k] = v
		c.mu.Unlock()
	}
	return nil
}

// Warm loads keys in the background; the channel receives the result.
func (c *Cache) Warm(keys []string) <-chan error {
	errc := make(chan error, 1)
	go func() {
		errc <- c.fill(keys)
	}()
	return errc
}

func Run() {
	c := NewCache(func(k string) (string, error) { return "v:" + k, nil })
	warmed := c.Warm([]string{"home", "about", "pricing"})
	fmt.Println("serving")
	if err := <-warmed; err != nil {
		fmt.Println("warm-up failed:", err)
	}
}
