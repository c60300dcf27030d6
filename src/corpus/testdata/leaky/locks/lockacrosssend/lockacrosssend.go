// Package lockacrosssend is a hub that pushes a batch of updates to a client while holding the
// hub's lock. The client's loop takes the same lock after each update to record its ack, so it
// stops receiving and the hub blocks on the next send with the lock held.
package lockacrosssend

import (
	"fmt"
	"sync"
)

type update struct {
	seq  int
	body string
}

// Hub distributes updates to connected clients.
type Hub struct {
	mu      sync.Mutex
	clients []*client
	acked   map[int]int
}

type client struct {
	id   int
	hub  *Hub
	send chan update
}

func NewHub() *Hub {
	return &Hub{acked: make(map[int]int)}
}

// Connect registers a client and starts its delivery loop.
func (h *Hub) Connect(id int) {
	c := &client{id: id, hub: h, send: make(chan update)}
	h.mu.Lock()
	h.clients = append(h.clients, c)
	h.mu.Unlock()
	go c.loop() // leak-go
}

func (c *client) loop() {
	for u := range c.send {
		c.hub.mu.Lock() // leak: mutex
		c.hub.acked[c.id] = u.seq
		c.hub.mu.Unlock()
	}
}

// Publish sends a batch of updates to every client, in order.
func (h *Hub) Publish(batch []update) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, c := range h.clients {
		for _, u := range batch {
			c.send <- u // leak: chan send
		}
	}
}

func Run() {
	h := NewHub()
	h.Connect(1)
	go h.Publish([]update{{1, "a"}, {2, "b"}, {3, "c"}}) // leak-go
	fmt.Println("publishing")
}
