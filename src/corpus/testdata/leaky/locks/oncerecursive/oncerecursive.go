// Package oncerecursive loads configuration lazily with sync.Once. The loader resolves an
// "include" by calling Get, which calls once.Do again from inside the first once.Do: Once holds
// a mutex while its function runs, so the goroutine deadlocks on itself.
package oncerecursive

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
	for k, v := range c.raw {
		if strings.HasPrefix(v, "include:") {
			v = c.Get(strings.TrimPrefix(v, "include:")) // leak-site: re-enters once.Do
		}
		c.values[k] = v
	}
}

// Get returns the value of key, loading the configuration first.
func (c *Config) Get(key string) string {
	c.once.Do(c.load) // leak: mutex
	return c.values[key]
}

func Run() {
	c := &Config{raw: map[string]string{"db": "postgres://db", "replica": "include:db"}}
	go func() { // leak-go
		fmt.Println(c.Get("replica"))
	}()
}
