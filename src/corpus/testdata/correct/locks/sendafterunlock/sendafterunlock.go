// Package sendafterunlock is a hub that pushes updates to its clients. Publish copies the client
// list under the lock and sends after unlocking, so a client that takes the hub's lock to record
// its ack cannot block the sender; Close ends the client loops.
package sendafterunlock

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
	wg      sync.WaitGroup
}

type client struct {
	id   int
	hub  *Hub
	send chan update
}

func NewHub() *Hub {
	return &Hub{acked: make(map[int]int)}
}

func (h *Hub) Connect(id int) {
	c := &client{id: id, hub: h, send: make(chan update)}
	h.mu.Lock()
	h.clients = append(h.clients, c)
	h.mu.Unlock()
	h.wg.Add(1)
	go c.loop()
}

func (c *client) loop() {
	defer c.hub.wg.Done()
	for u := range c.send {
		c.hub.mu.Lock()
		c.hub.acked[c.id] = u.seq
		c.hub.mu.Unlock()
	}
}

// Publish sends a batch of updates to every client, in order.
func (h *Hub) Publish(batch []update) {
	h.mu.Lock()
	clients := append([]*client(nil), h.clients...)
	h.mu.Unlock()
	for _, c := range clients {
		for _, u := range batch {
			c.send <- u
		}
	}
}

// Close disconnects every client and waits for their loops.
func (h *Hub) Close() {
	h.mu.Lock()
	clients := h.clients
	h.clients = nil
	h.mu.Unlock()
	for _, c := range clients {
		close(c.send)
	}
	h.wg.Wait()
}

func Run() {
	h := NewHub()
	h.Connect(1)
	h.Connect(2)
	h.Publish([]update{{1, "a"}, {2, "b"}, {3, "c"}})
	h.Close()
	fmt.Println(h.acked)
}
