package fixtures

import "sync"

// The lock is released before the hand-off.
type Queue struct {
	mu    sync.Mutex
	items chan string
	count int
}

func NewQueue() *Queue {
	q := &Queue{items: make(chan string)}
	go q.consume()
	return q
}

func (q *Queue) Push(s string) {
	q.mu.Lock()
	q.count++
	q.mu.Unlock()
	q.items <- s
}

func (q *Queue) consume() {
	for s := range q.items {
		q.mu.Lock()
		q.count--
		q.mu.Unlock()
		println(s)
	}
}

// The workers record results under the lock but call Done after releasing it... and the
// waiter does not hold the lock anyway.
type Group struct {
	mu  sync.Mutex
	wg  sync.WaitGroup
	sum int
}

func (g *Group) Run(xs []int) int {
	for _, x := range xs {
		g.wg.Add(1)
		go func(x int) {
			defer g.wg.Done()
			g.mu.Lock()
			g.sum += x
			g.mu.Unlock()
		}(x)
	}
	g.wg.Wait()
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.sum
}

// A buffered channel: the send does not wait for the receiver.
type Log struct {
	mu    sync.Mutex
	lines chan string
}

func NewLog() *Log {
	l := &Log{lines: make(chan string, 64)}
	go l.flush()
	return l
}

func (l *Log) Write(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines <- s
}

func (l *Log) flush() {
	for {
		l.mu.Lock()
		s := <-l.lines
		l.mu.Unlock()
		println(s)
	}
}
