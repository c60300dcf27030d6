package fixtures

import (
	"errors"
	"context"
	"net/http"
	"sync"
	"time"
)

type store struct {
	mu   sync.RWMutex
	data map[string]string
}

// Deferred unlock: every return releases.
func (s *store) Get(k string) (string, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.data == nil {
		return "", false
	}
	v, ok := s.data[k]
	return v, ok
}

// Unlock on every path.
func (s *store) Set(k, v string) bool {
	s.mu.Lock()
	if s.data == nil {
		s.mu.Unlock()
		return false
	}
	s.data[k] = v
	s.mu.Unlock()
	return true
}

// Unlock in a deferred closure.
func (s *store) Delete(k string) {
	s.mu.Lock()
	defer func() {
		s.mu.Unlock()
	}()
	if s.data == nil {
		return
	}
	delete(s.data, k)
}

// Lock-handoff helpers: they return with the lock held by design.
func (s *store) lockData() map[string]string {
	s.mu.Lock()
	return s.data
}

func (s *store) acquireIfReady() bool {
	s.mu.Lock()
	if s.data == nil {
		s.mu.Unlock()
		return false
	}
	return true // held on success: the caller unlocks
}

// tryGet returns with mu held when it succeeds; the caller must unlock.
func (s *store) tryGet(k string) (string, bool) {
	s.mu.RLock()
	v, ok := s.data[k]
	if !ok {
		s.mu.RUnlock()
		return "", false
	}
	return v, true
}

func (s *store) flushLocked() {
	s.mu.Unlock()
	time.Sleep(time.Millisecond)
	s.mu.Lock()
}

// Unlocking through a same-package helper counts.
func (s *store) unlock() { s.mu.Unlock() }

func (s *store) Replace(d map[string]string) {
	s.mu.Lock()
	if d == nil {
		s.unlock()
		return
	}
	s.data = d
	s.mu.Unlock()
}

// TryLock patterns are not tracked.
func (s *store) Poke() bool {
	if !s.mu.TryLock() {
		return false
	}
	s.data = nil
	s.mu.Unlock()
	return true
}

// A conditional lock: paths disagree, so nothing is reported.
func (s *store) Maybe(lock bool) int {
	if lock {
		s.mu.Lock()
	}
	n := len(s.data)
	if n == 0 {
		return 0
	}
	if lock {
		s.mu.Unlock()
	}
	return n
}

// Unlock before continue, and a relock dance inside a loop.
func (s *store) Each(keys []string, f func(string)) {
	for _, k := range keys {
		s.mu.RLock()
		v, ok := s.data[k]
		if !ok {
			s.mu.RUnlock()
			continue
		}
		s.mu.RUnlock()
		f(v)
	}
}

// Embedded mutex with defer.
type counterSet struct {
	sync.Mutex
	n map[string]int
}

func (c *counterSet) Inc(k string) int {
	c.Lock()
	defer c.Unlock()
	if c.n == nil {
		c.n = map[string]int{}
	}
	c.n[k]++
	return c.n[k]
}

// Locks in a loop with break: the unlock follows the loop.
func (c *counterSet) Find(keys []string) string {
	c.Lock()
	found := ""
	for _, k := range keys {
		if c.n[k] > 0 {
			found = k
			break
		}
	}
	c.Unlock()
	return found
}

// Worker pool with Close, http.Server with Shutdown, select on ctx.Done.
type pool struct {
	mu     sync.Mutex
	jobs   chan func()
	wg     sync.WaitGroup
	closed bool
}

func newPool(n int) *pool {
	p := &pool{jobs: make(chan func())}
	for i := 0; i < n; i++ {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			for j := range p.jobs {
				j()
			}
		}()
	}
	return p
}

func (p *pool) Submit(ctx context.Context, j func()) bool {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return false
	}
	p.mu.Unlock()
	select {
	case p.jobs <- j:
		return true
	case <-ctx.Done():
		return false
	}
}

func (p *pool) Close() {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return
	}
	p.closed = true
	close(p.jobs)
	p.mu.Unlock()
	p.wg.Wait()
}

func serve(ctx context.Context, srv *http.Server) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		return srv.Shutdown(sctx)
	}
}

// A panic path is out of scope.
func (c *counterSet) Must(k string) int {
	c.Lock()
	v, ok := c.n[k]
	if !ok {
		panic("missing " + k)
	}
	c.Unlock()
	return v
}

// The function runs forever holding and releasing in turn: no normal exit.
func (c *counterSet) loop(stop <-chan struct{}) {
	for {
		c.Lock()
		select {
		case <-stop:
			c.Unlock()
			return
		default:
		}
		c.n["tick"]++
		c.Unlock()
	}
}

// The unlock is kept as a method value and called under another name.
func (s *store) Swap(d map[string]string) map[string]string {
	s.mu.Lock()
	release := s.mu.Unlock
	old := s.data
	if d == nil {
		release()
		return old
	}
	s.data = d
	s.mu.Unlock()
	return old
}

// A logger's Fatal ends the path.
type fataler interface{ Fatalf(string, ...interface{}) }

func (s *store) MustHave(k string, log fataler) string {
	s.mu.RLock()
	v, ok := s.data[k]
	if !ok {
		log.Fatalf("missing %s", k)
	}
	s.mu.RUnlock()
	return v
}

// The unlock sits in a local closure called before each return.
type ledger struct {
	mu      sync.Mutex
	entries map[string]int
}

func (l *ledger) transfer(from, to string, n int) error {
	l.mu.Lock()
	unlock := func() { l.mu.Unlock() }
	if l.entries[from] < n {
		unlock()
		return errShort
	}
	l.entries[from] -= n
	l.entries[to] += n
	l.mu.Unlock()
	return nil
}

var errShort = errors.New("short")

// Entered with the lock held: it unlocks to wait, relocks, and goes round again.
type waiter struct {
	mu    sync.Mutex
	ready bool
	wake  chan struct{}
}

func (w *waiter) awaitReady() {
	for !w.ready {
		w.mu.Unlock()
		<-w.wake
		w.mu.Lock()
		if !w.ready {
			continue
		}
	}
}

// An endless loop that releases the lock on every path out.
func (w *waiter) loop(stop chan struct{}) {
	for {
		w.mu.Lock()
		if w.ready {
			w.mu.Unlock()
			return
		}
		w.mu.Unlock()
		select {
		case <-stop:
			return
		case <-w.wake:
		}
	}
}
