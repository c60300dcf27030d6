// Package mainleak has a registry whose readers block while a writer holds it.
package mainleak

import "sync"

var registry struct {
	sync.RWMutex
	names []string
}

// Freeze write-locks the registry and never unlocks it.
func Freeze() { registry.Lock() }

// Count reads the registry under its read lock.
func Count() int {
	registry.RLock()
	defer registry.RUnlock()
	return len(registry.names)
}
