// Package expirystop is a lock manager that expires idle locks with time.AfterFunc. Stop stops
// every pending timer, and a callback that already fired sends inside a select on the quit
// channel, so no timer goroutine can block after the manager is gone.
package expirystop

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
		select {
		case m.expired <- name:
		case <-m.quit:
		}
	})
}

// Stop cancels the pending expiries and ends the loop.
func (m *Manager) Stop() {
	m.mu.Lock()
	for _, t := range m.held {
		t.Stop()
	}
	m.mu.Unlock()
	close(m.quit)
	<-m.done
}

func Run() {
	m := NewManager()
	m.Acquire("deploy", 20*time.Millisecond)
	m.Acquire("backup", time.Millisecond)
	time.Sleep(5 * time.Millisecond)
	m.Stop()
	time.Sleep(30 * time.Millisecond)
	fmt.Println("manager stopped")
}
