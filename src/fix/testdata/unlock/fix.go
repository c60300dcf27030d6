// Package unlock: early returns that keep a mutex locked.
package unlock

import (
	"errors"
	"sync"
)

var errMissing = errors.New("missing")

// Store is a guarded map.
type Store struct {
	mu   sync.Mutex
	data map[string]int
}

// Put refuses empty keys while holding the lock.
func (s *Store) Put(key string, v int) error {
	s.mu.Lock()
	if key == "" {
		return errMissing
	}
	s.data[key] = v
	s.mu.Unlock()
	return nil
}
