package fixtures

import "sync"

// The consumer waits once and then assumes an item is there.
type Mailbox struct {
	mu    sync.Mutex
	cond  *sync.Cond
	items []string
}

func NewMailbox() *Mailbox {
	m := &Mailbox{}
	m.cond = sync.NewCond(&m.mu)
	return m
}

func (m *Mailbox) Put(s string) {
	m.mu.Lock()
	m.items = append(m.items, s)
	m.mu.Unlock()
	m.cond.Signal()
}

func (m *Mailbox) Take() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.items) == 0 {
		m.cond.Wait() // want "`m.cond.Wait\\(\\)` is not in a loop that re-checks the condition"
	}
	s := m.items[0]
	m.items = m.items[1:]
	return s
}
