// Package condnobroadcast is a blocking work queue built on sync.Cond. Close sets the closed flag
// but does not wake the waiting consumers, so a consumer that is already waiting for an item
// sleeps in Cond.Wait forever.
package condnobroadcast

import (
	"fmt"
	"sync"
	"time"
)

// Queue is an unbounded FIFO with blocking Pop.
type Queue struct {
	mu     sync.Mutex
	cond   *sync.Cond
	items  []string
	closed bool

	waiting int // consumers blocked in Pop, for the queue's metrics
}

func NewQueue() *Queue {
	q := &Queue{}
	q.cond = sync.NewCond(&q.mu)
	return q
}

func (q *Queue) Push(item string) {
	q.mu.Lock()
	q.items = append(q.items, item)
	q.mu.Unlock()
	q.cond.Signal()
}

// Pop blocks until an item is available; ok is false once the queue is closed and empty.
func (q *Queue) Pop() (item string, ok bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 && !q.closed {
		q.waiting++
		q.cond.Wait() // leak: cond
		q.waiting--
	}
	if len(q.items) == 0 {
		return "", false
	}
	item, q.items = q.items[0], q.items[1:]
	return item, true
}

// Stats reports the queue length and how many consumers are blocked in Pop.
func (q *Queue) Stats() (queued, waiting int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.items), q.waiting
}

// Close makes Pop return false once the queue is drained.
func (q *Queue) Close() {
	q.mu.Lock()
	q.closed = true // leak-site: no Broadcast to wake the waiting consumers
	q.mu.Unlock()
}

type consumer struct {
	q    *Queue
	done sync.WaitGroup
	seen int
}

func (c *consumer) start() {
	c.done.Add(1)
	go c.run() // leak-go
}

func (c *consumer) run() {
	defer c.done.Done()
	for {
		if _, ok := c.q.Pop(); !ok {
			return
		}
		c.seen++
	}
}

func Run() {
	q := NewQueue()
	c := &consumer{q: q}
	c.start()
	q.Push("job-1")
	for { // the consumer takes job-1 and waits for more
		if queued, waiting := q.Stats(); queued == 0 && waiting == 1 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	q.Close()
	fmt.Println("queue closed")
}
