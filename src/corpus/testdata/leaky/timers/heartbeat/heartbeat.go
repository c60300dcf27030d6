// Package heartbeat is a cluster member that announces itself on a ticker. The heartbeat loop
// ranges over the ticker's channel and is started as a method of a field; Leave closes the
// transport but nothing stops the ticker or the loop, which waits on the ticker forever.
package heartbeat

import (
	"fmt"
	"sync"
	"time"
)

type transport struct {
	mu     sync.Mutex
	sent   int
	closed bool
}

func (t *transport) send(msg string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.closed {
		t.sent++
	}
}

func (t *transport) close() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.closed = true
}

type heartbeater struct {
	ticker *time.Ticker
	tr     *transport
	name   string
}

func (h *heartbeater) run() {
	for range h.ticker.C { // leak: chan receive
		h.tr.send("alive " + h.name)
	}
}

// Member is a node of the cluster.
type Member struct {
	tr *transport
	hb *heartbeater
}

func Join(name string, every time.Duration) *Member {
	tr := &transport{}
	m := &Member{tr: tr, hb: &heartbeater{ticker: time.NewTicker(every), tr: tr, name: name}}
	go m.hb.run() // leak-go
	return m
}

// Leave disconnects the member from the cluster.
func (m *Member) Leave() {
	m.tr.close() // leak-site: the heartbeat's ticker and loop are never stopped
}

func Run() {
	m := Join("node-a", 10*time.Second)
	m.Leave()
	fmt.Println("left the cluster")
}
