package explainfixture

import "sync"

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

// Queue pops by waiting on a Cond that Push signals.
type Queue struct {
	mu    sync.Mutex
	cond  *sync.Cond
	items []int
}

func NewQueue() *Queue {
	q := &Queue{}
	q.cond = sync.NewCond(&q.mu)
	return q
}

func (q *Queue) Pop() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 {
		q.cond.Wait() // explain: cond wait
	}
	v := q.items[0]
	q.items = q.items[1:]
	return v
}

func (q *Queue) Push(v int) {
	q.mu.Lock()
	q.items = append(q.items, v)
	q.mu.Unlock()
	q.cond.Signal()
}
