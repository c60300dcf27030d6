// Package actor is a session store run by a single owner goroutine. Each request carries a reply
// channel with room for the answer, and both the request send and the reply wait also select on
// the owner's done channel, so callers get an error instead of hanging when the owner stops;
// Close stops the owner.
package actor

import (
	"errors"
	"fmt"
)

var (
	errCorrupt = errors.New("session store: corrupt entry")
	ErrClosed  = errors.New("session store: closed")
)

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
	s := &Store{requests: make(chan request), quit: make(chan struct{}), done: make(chan struct{}), sessions: sessions}
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
func (s *Store) Get(key string) (string, error) {
	req := request{key: key, reply: make(chan string, 1)}
	select {
	case s.requests <- req:
	case <-s.done:
		return "", ErrClosed
	}
	select {
	case v := <-req.reply:
		return v, nil
	case <-s.done:
		return "", ErrClosed
	}
}

func Run() {
	s := NewStore(map[string]string{"alice": "token-a", "bob": ""})
	fmt.Println(s.Get("alice"))
	errs := make(chan error, 2)
	for _, user := range []string{"bob", "carol"} {
		go func(user string) {
			_, err := s.Get(user)
			errs <- err
		}(user)
	}
	fmt.Println(<-errs, <-errs)
	s.Close()
}
