// Package afterfunc is a lock manager that expires idle locks with time.AfterFunc. The expiry
// callback reports on an unbuffered channel read by the manager's loop; after Stop has ended the
// loop, a lock that expires blocks its timer goroutine on the send forever.
package afterfunc

import (
	"fmt"
	"sync"
	"time"
)

// Manager hands out named locks that expire when idle.
type Manager struct {
	expired chan string
	quit    chan struct{}
	done    chan struct{}

	mu    sync.Mutex
	held  map[string]*time.Timer
	freed []string
}

func NewManager() *Manager {
	m := &Manager{expired: make(chan string), quit: make(chan struct{}), done: make(chan struct{}), held: make(map[string]*time.Timer)}
	go m.loop()
	return m
}

func (m *Manager) loop() {
	defer close(m.done)
	for {
		select {
		case name := <-m.expired:
			m.mu.Lock()
			delete(m.held, name)
			m.freed = append(m.freed, name)
			m.mu.Unlock()
		case <-m.quit:
			return
		}
	}
}

// Acquire takes the named lock for at most ttl.
func (m *Manager) Acquire(name string, ttl time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.held[name] = time.AfterFunc(ttl, func() {
		m.expired <- name // leak: chan send
	})
}

// Stop ends the expiry loop.
func (m *Manager) Stop() {
	close(m.quit)
	<-m.done
}

func Run() {
	m := NewManager()
	m.Acquire("deploy", 20*time.Millisecond)
	m.Stop()
	time.Sleep(60 * time.Millisecond) // the lock expires after the manager stopped
	fmt.Println("manager stopped")
}
