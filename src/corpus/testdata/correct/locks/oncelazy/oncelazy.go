// Package oncelazy loads configuration lazily with sync.Once. Includes are resolved inside the
// loader from the raw table, never through Get, so once.Do is not re-entered.
package oncelazy

import (
	"fmt"
	"strings"
	"sync"
)

// Config is loaded on first use.
type Config struct {
	once   sync.Once
	raw    map[string]string
	values map[string]string
}

func (c *Config) load() {
	c.values = make(map[string]string)
	for k := range c.raw {
		c.values[k] = c.resolve(k, 0)
	}
}

// resolve follows include chains in the raw table, at most depth 8.
func (c *Config) resolve(key string, depth int) string {
	v := c.raw[key]
	if strings.HasPrefix(v, "include:") && depth < 8 {
		return c.resolve(strings.TrimPrefix(v, "include:"), depth+1)
	}
	return v
}

// Get returns the value of key, loading the configuration first.
func (c *Config) Get(key string) string {
	c.once.Do(c.load)
	return c.values[key]
}

func Run() {
	c := &Config{raw: map[string]string{"db": "postgres://db", "replica": "include:db"}}
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.Get("replica")
		}()
	}
	wg.Wait()
	fmt.Println(c.Get("replica"))
}
