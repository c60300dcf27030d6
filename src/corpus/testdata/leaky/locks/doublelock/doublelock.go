// Package doublelock is a service registry whose Register method holds the registry lock while
// calling a helper that takes the same lock again. sync.Mutex is not reentrant: the request
// goroutine deadlocks on itself, and every later caller queues behind it.
package doublelock

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

func (r *Registry) known(service, addr string) bool {
	r.mu.Lock() // leak: mutex
	defer r.mu.Unlock()
	for _, in := range r.instances[service] {
		if in.addr == addr {
			return true
		}
	}
	return false
}

// Register adds an instance unless it is already known.
func (r *Registry) Register(service, addr string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.known(service, addr) { // leak-site: called with r.mu held
		return
	}
	r.instances[service] = append(r.instances[service], instance{addr: addr, lastSeen: time.Now()})
}

func Run() {
	r := NewRegistry()
	go r.Register("billing", "10.0.0.12:9000") // leak-go
	fmt.Println("registration sent")
}
