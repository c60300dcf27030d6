// Package deadactor is a session store run by a single owner goroutine that answers requests on
// a reply channel carried in each request. When the owner hits a corrupt entry, or is closed, it
// returns, and a caller whose request is queued waits on its reply forever: Get does not watch
// the owner's done channel.
package deadactor

import (
	"errors"
	"fmt"
)

var errCorrupt = errors.New("session store: corrupt entry")

type request struct {
	key   string
	reply chan string
}

// Store serializes access to the sessions through its loop.
type Store struct {
	requests chan request
	quit     chan struct{}
	done     chan struct{}
	sessions map[string]string
}

func NewStore(sessions map[string]string) *Store {
	s := &Store{requests: make(chan request, 16), quit: make(chan struct{}), done: make(chan struct{}), sessions: sessions}
	go s.loop()
	return s
}

func (s *Store) loop() {
	defer close(s.done)
	for {
		select {
		case req := <-s.requests:
			v, err := s.lookup(req.key)
			if err != nil {
				return
			}
			req.reply <- v
		case <-s.quit:
			return
		}
	}
}

// Close stops the owner goroutine.
func (s *Store) Close() {
	close(s.quit)
	<-s.done
}

func (s *Store) lookup(key string) (string, error) {
	v, ok := s.sessions[key]
	if ok && v == "" {
		return "", errCorrupt
	}
	return v, nil
}

// Get asks the owner for a session.
func (s *Store) Get(key string) string {
	req := request{key: key, reply: make(chan string, 1)}
	s.requests <- req
	return <-req.reply // leak: chan receive
}

func Run() {
	s := NewStore(map[string]string{"alice": "token-a", "bob": ""})
	fmt.Println(s.Get("alice"))
	for _, user := range []string{"bob", "carol"} {
		go s.Get(user) // leak-go
	}
	s.Close()
}
