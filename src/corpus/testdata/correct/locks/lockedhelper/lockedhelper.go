// Package lockedhelper is a service registry whose helper knownLocked expects the caller to hold
// the lock (the convention the name says), so Register can use it under its own lock without
// locking twice; the exported Known takes the lock itself.
package lockedhelper

import (
	"fmt"
	"sync"
	"time"
)

type instance struct {
	addr     string
	lastSeen time.Time
}

// Registry tracks live service instances.
type Registry struct {
	mu        sync.Mutex
	instances map[string][]instance
}

func NewRegistry() *Registry {
	return &Registry{instances: make(map[string][]instance)}
}

// knownLocked reports whether addr is registered; r.mu must be held.
func (r *Registry) knownLocked(service, addr string) bool {
	for _, in := range r.instances[service] {
		if in.addr == addr {
			return true
		}
	}
	return false
}

func (r *Registry) Known(service, addr string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.knownLocked(service, addr)
}

// Register adds an instance unless it is already known.
func (r *Registry) Register(service, addr string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.knownLocked(service, addr) {
		return
	}
	r.instances[service] = append(r.instances[service], instance{addr: addr, lastSeen: time.Now()})
}

func Run() {
	r := NewRegistry()
	var wg sync.WaitGroup
	for _, addr := range []string{"10.0.0.12:9000", "10.0.0.13:9000", "10.0.0.12:9000"} {
		wg.Add(1)
		go func(addr string) {
			defer wg.Done()
			r.Register("billing", addr)
		}(addr)
	}
	wg.Wait()
	fmt.Println(r.Known("billing", "10.0.0.13:9000"))
}
