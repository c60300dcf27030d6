// Package quorum replicates a write to every replica and returns once a quorum has acknowledged.
// The acknowledgement channel is sized with a constant that is smaller than the number of
// replicas that will never be waited for, so the last acknowledgements block on the send.
package quorum

import (
	"fmt"
	"sync"
)

const ackBuffer = 2

type replica struct {
	id   int
	mu   sync.Mutex
	data map[string]string
}

func (r *replica) put(k, v string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.data[k] = v
	return nil
}

// Cluster writes through a set of replicas.
type Cluster struct {
	replicas []*replica
	quorum   int
}

func NewCluster(n int) *Cluster {
	c := &Cluster{quorum: n/2 + 1}
	for i := 0; i < n; i++ {
		c.replicas = append(c.replicas, &replica{id: i, data: make(map[string]string)})
	}
	return c
}

// Put returns when a majority of replicas has stored the value.
func (c *Cluster) Put(k, v string) error {
	acks := make(chan error, ackBuffer)
	for _, r := range c.replicas {
		go func(r *replica) { // leak-go
			acks <- r.put(k, v) // leak: chan send
		}(r)
	}
	for i := 0; i < c.quorum; i++ {
		if err := <-acks; err != nil {
			return err
		}
	}
	return nil
}

func Run() {
	c := NewCluster(7)
	fmt.Println(c.Put("leader", "node-3"))
}
