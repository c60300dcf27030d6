// Package loopunlock is a health poller that locks its target list on every tick and unlocks
// before each continue; the round's work runs in a helper with a deferred unlock. Stop ends the
// loop and waits for it.
package loopunlock

import (
	"fmt"
	"sync"
	"time"
)

// Poller checks the health of its targets periodically.
type Poller struct {
	mu      sync.Mutex
	targets []string
	healthy map[string]bool

	interval time.Duration
	stop     chan struct{}
	done     chan struct{}
}

func NewPoller(interval time.Duration) *Poller {
	return &Poller{interval: interval, healthy: make(map[string]bool), stop: make(chan struct{}), done: make(chan struct{})}
}

func (p *Poller) Start() { go p.run() }

func (p *Poller) run() {
	defer close(p.done)
	t := time.NewTicker(p.interval)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-t.C:
		}
		p.mu.Lock()
		if len(p.targets) == 0 {
			p.mu.Unlock()
			continue
		}
		p.mu.Unlock()
		p.checkAll()
	}
}

func (p *Poller) checkAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, target := range p.targets {
		p.healthy[target] = target != ""
	}
}

func (p *Poller) Add(target string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.targets = append(p.targets, target)
}

func (p *Poller) Stop() {
	close(p.stop)
	<-p.done
}

func Run() {
	p := NewPoller(2 * time.Millisecond)
	p.Start()
	time.Sleep(10 * time.Millisecond)
	p.Add("db:5432")
	time.Sleep(10 * time.Millisecond)
	p.Stop()
	fmt.Println("poller stopped")
}
