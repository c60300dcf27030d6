// Package deferunlock is a key-value store whose methods release the lock with defer, so the
// validation error path unlocks too and concurrent readers proceed.
package deferunlock

import (
	"errors"
	"fmt"
	"strings"
	"sync"
)

var errBadKey = errors.New("kv: key must not contain spaces")

// Store is a thread-safe map with key validation.
type Store struct {
	mu   sync.RWMutex
	data map[string][]byte
}

func NewStore() *Store {
	return &Store{data: make(map[string][]byte)}
}

func (s *Store) Put(key string, value []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if strings.ContainsRune(key, ' ') {
		return errBadKey
	}
	s.data[key] = value
	return nil
}

func (s *Store) Get(key string) ([]byte, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	v, ok := s.data[key]
	return v, ok
}

func (s *Store) Keys() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	keys := make([]string, 0, len(s.data))
	for k := range s.data {
		keys = append(keys, k)
	}
	return keys
}

func Run() {
	s := NewStore()
	fmt.Println(s.Put("user 1", []byte("ada")))
	fmt.Println(s.Put("user1", []byte("ada")))
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.Get("user1")
			s.Keys()
		}()
	}
	wg.Wait()
}
