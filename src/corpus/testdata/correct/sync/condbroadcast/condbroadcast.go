// Package condbroadcast is a blocking work queue built on sync.Cond. Close sets the closed flag
// and broadcasts, so every waiting consumer wakes up, sees the queue closed and returns.
package condbroadcast

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
		q.cond.Wait()
	}
	if len(q.items) == 0 {
		return "", false
	}
	item, q.items = q.items[0], q.items[1:]
	return item, true
}

// Close wakes every consumer; Pop returns false once the queue is drained.
func (q *Queue) Close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.cond.Broadcast()
}

func Run() {
	q := NewQueue()
	var wg sync.WaitGroup
	seen := make([]int, 3)
	for i := range seen {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for {
				if _, ok := q.Pop(); !ok {
					return
				}
				seen[i]++
			}
		}(i)
	}
	for i := 0; i < 10; i++ {
		q.Push(fmt.Sprintf("job-%d", i))
	}
	time.Sleep(5 * time.Millisecond)
	q.Close()
	wg.Wait()
	fmt.Println(seen[0] + seen[1] + seen[2])
}
