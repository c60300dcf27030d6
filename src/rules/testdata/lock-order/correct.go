package fixtures

import "sync"

// One order everywhere: index before data.
type Store struct {
	indexMu sync.Mutex
	dataMu  sync.Mutex
	index   map[string]int
	data    []string
}

func (s *Store) Put(k, v string) {
	s.indexMu.Lock()
	defer s.indexMu.Unlock()
	s.dataMu.Lock()
	s.data = append(s.data, v)
	s.index[k] = len(s.data) - 1
	s.dataMu.Unlock()
}

func (s *Store) Get(k string) string {
	s.indexMu.Lock()
	i, ok := s.index[k]
	s.indexMu.Unlock()
	if !ok {
		return ""
	}
	s.dataMu.Lock()
	defer s.dataMu.Unlock()
	return s.data[i]
}

// Two instances of one type locked in argument order: a different question, not reported.
type Wallet struct {
	mu    sync.Mutex
	coins int
}

func move(a, b *Wallet, n int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	b.mu.Lock()
	defer b.mu.Unlock()
	a.coins -= n
	b.coins += n
}

// Two different objects each lock their own pair in opposite orders: no shared instance.
type Left struct {
	mu    sync.Mutex
	right *Right
}

type Right struct {
	mu   sync.Mutex
	left *Left
}

func (l *Left) touch(r *Right) {
	l.mu.Lock()
	defer l.mu.Unlock()
	r.mu.Lock()
	r.mu.Unlock()
}

func (r *Right) touch(l *Left) {
	r.mu.Lock()
	defer r.mu.Unlock()
	l.mu.Lock()
	l.mu.Unlock()
}

// A connection whose Read takes the handshake lock only on a renegotiation, two calls deep,
// after the handshake completed; Handshake takes the input lock only before completion. The
// opposite orders never overlap, which is not visible from the locks alone: chains deeper than
// one call are not compared.
type Conn struct {
	in          sync.Mutex
	handshakeMu sync.Mutex
	complete    bool
	renegotiate bool
}

func (c *Conn) Handshake() {
	c.handshakeMu.Lock()
	defer c.handshakeMu.Unlock()
	if c.complete {
		return
	}
	c.in.Lock()
	c.complete = true
	c.in.Unlock()
}

func (c *Conn) Read() {
	c.Handshake()
	c.in.Lock()
	defer c.in.Unlock()
	c.handleMessage()
}

func (c *Conn) handleMessage() {
	if c.renegotiate {
		c.handleRenegotiation()
	}
}

func (c *Conn) handleRenegotiation() {
	c.handshakeMu.Lock()
	defer c.handshakeMu.Unlock()
	c.complete = false
}
