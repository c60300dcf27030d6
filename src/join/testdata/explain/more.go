package explainfixture

import (
	"sync"
	"time"
)

// Feed hands its channel to a helper goroutine that takes one value: the second send blocks.
func Feed() {
	in := make(chan int)
	go drain(in)
	in <- 1
	in <- 2 // explain: send through a callee
}

func drain(c chan int) {
	<-c
}

// Either waits on two channels at once.
func Either(a, b chan int) int {
	select { // explain: select
	case v := <-a:
		return v
	case v := <-b:
		return v
	}
}

// Barrier releases its parties together: each waits on a Cond until the last one arrives.
type Barrier struct {
	parties, arrived int
	gate             sync.Mutex
	all              *sync.Cond
}

func NewBarrier(parties int) *Barrier {
	b := &Barrier{parties: parties}
	b.all = sync.NewCond(&b.gate)
	return b
}

func (b *Barrier) Arrive() {
	b.gate.Lock()
	b.arrived++
	if b.arrived == b.parties {
		b.all.Broadcast()
	}
	for b.arrived < b.parties {
		b.all.Wait() // explain: cond wait
	}
	b.gate.Unlock()
}

// Poll waits for its ticker: the runtime is the sender.
func Poll(check func() bool) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for !check() {
		<-t.C // explain: ticker
	}
}
