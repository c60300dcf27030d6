// Package backgroundloop is a session cache whose expiry loop is started with
// context.Background(). Nothing can cancel that context, so the loop waits in its select for
// the rest of the process, after the cache itself has been dropped.
package backgroundloop

import (
	"context"
	"fmt"
	"sync"
	"time"
)

type session struct {
	user    string
	expires time.Time
}

// Sessions is an expiring session cache.
type Sessions struct {
	mu    sync.Mutex
	items map[string]session
	ttl   time.Duration
}

func NewSessions(ttl time.Duration) *Sessions {
	s := &Sessions{items: make(map[string]session), ttl: ttl}
	go s.expireLoop(context.Background()) // leak-go
	return s
}

func (s *Sessions) expireLoop(ctx context.Context) {
	t := time.NewTicker(s.ttl)
	defer t.Stop()
	for {
		select { // leak: select
		case <-ctx.Done():
			return
		case now := <-t.C:
			s.expire(now)
		}
	}
}

func (s *Sessions) expire(now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, sess := range s.items {
		if now.After(sess.expires) {
			delete(s.items, id)
		}
	}
}

func (s *Sessions) Put(id, user string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.items[id] = session{user: user, expires: time.Now().Add(s.ttl)}
}

func Run() {
	s := NewSessions(time.Minute)
	s.Put("abc", "ada")
	fmt.Println("sessions ready")
}
