// Package errorpath is a key-value store whose Put returns on a validation error with the lock
// still held. The next reader blocks on the lock forever.
package errorpath

import (
	"errors"
	"fmt"
	"strings"
	"sync"
)

var errBadKey = errors.New("kv: key must not contain spaces")

// Store is a thread-safe map with key validation.
type Store struct {
	mu   sync.Mutex
	data map[string][]byte
}

func NewStore() *Store {
	return &Store{data: make(map[string][]byte)}
}

func (s *Store) Put(key string, value []byte) error {
	s.mu.Lock() // leak-site: not unlocked on the error return
	if strings.ContainsRune(key, ' ') {
		return errBadKey // leak-site: returns with s.mu held
	}
	s.data[key] = value
	s.mu.Unlock()
	return nil
}

func (s *Store) Get(key string) ([]byte, bool) {
	s.mu.Lock() // leak: mutex
	defer s.mu.Unlock()
	v, ok := s.data[key]
	return v, ok
}

func Run() {
	s := NewStore()
	fmt.Println(s.Put("user 1", []byte("ada")))
	go func() { // leak-go
		v, _ := s.Get("user1")
		fmt.Println(string(v))
	}()
}
