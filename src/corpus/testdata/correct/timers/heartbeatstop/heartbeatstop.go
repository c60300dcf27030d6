// Package heartbeatstop is a cluster member that announces itself on a ticker. The heartbeat
// loop, started as a method of a field, selects on the ticker and a stop channel; Leave closes
// the stop channel and waits for the loop, which stops its ticker on the way out.
package heartbeatstop

import (
	"fmt"
	"sync"
	"time"
)

type transport struct {
	mu   sync.Mutex
	sent int
}

func (t *transport) send(msg string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.sent++
}

type heartbeater struct {
	every time.Duration
	tr    *transport
	name  string
	stop  chan struct{}
	done  chan struct{}
}

func (h *heartbeater) run() {
	defer close(h.done)
	t := time.NewTicker(h.every)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			h.tr.send("alive " + h.name)
		case <-h.stop:
			return
		}
	}
}

// Member is a node of the cluster.
type Member struct {
	tr *transport
	hb *heartbeater
}

func Join(name string, every time.Duration) *Member {
	tr := &transport{}
	m := &Member{tr: tr, hb: &heartbeater{every: every, tr: tr, name: name, stop: make(chan struct{}), done: make(chan struct{})}}
	go m.hb.run()
	return m
}

// Leave stops the heartbeat and disconnects.
func (m *Member) Leave() {
	close(m.hb.stop)
	<-m.hb.done
}

func Run() {
	m := Join("node-a", 2*time.Millisecond)
	time.Sleep(10 * time.Millisecond)
	m.Leave()
	fmt.Println("left the cluster")
}
