package fixtures

import "sync"

// A queue whose consumers wait on a cond that Push never signals.
type queue struct {
	mu    sync.Mutex
	ready *sync.Cond
	items []int
}

func newQueue() *queue {
	q := &queue{}
	q.ready = sync.NewCond(&q.mu)
	return q
}

func (q *queue) Push(v int) {
	q.mu.Lock()
	q.items = append(q.items, v)
	q.mu.Unlock()
}

func (q *queue) Pop() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 {
		q.ready.Wait() // want "`q.ready.Wait\\(\\)` waits for a wake-up that never comes"
	}
	v := q.items[0]
	q.items = q.items[1:]
	return v
}

// A local cond waited on by a goroutine; the flag is set but nobody wakes it.
func waitForFlag() {
	var mu sync.Mutex
	c := sync.NewCond(&mu)
	done := false
	go func() {
		mu.Lock()
		for !done {
			c.Wait() // want "`c.Wait\\(\\)` waits for a wake-up that never comes"
		}
		mu.Unlock()
	}()
	mu.Lock()
	done = true
	mu.Unlock()
}

// A package-level cond.
var (
	startMu sync.Mutex
	started = sync.NewCond(&startMu)
	isUp    bool
)

func markUp() {
	startMu.Lock()
	isUp = true
	startMu.Unlock()
}

func waitUp() {
	startMu.Lock()
	for !isUp {
		started.Wait() // want "`started.Wait\\(\\)` waits for a wake-up that never comes"
	}
	startMu.Unlock()
}

// The gate is broadcast on, but nothing ever sets the flag its waiters check.
type Gate struct {
	mu   sync.Mutex
	cond *sync.Cond
	open bool
}

func NewGate() *Gate {
	g := &Gate{}
	g.cond = sync.NewCond(&g.mu)
	return g
}

func (g *Gate) Kick() {
	g.mu.Lock()
	g.cond.Broadcast()
	g.mu.Unlock()
}

func (g *Gate) Pass() {
	g.mu.Lock()
	defer g.mu.Unlock()
	for !g.open {
		g.cond.Wait() // want "`g.cond.Wait\\(\\)` waits for `!g.open` to change, but nothing in the package ever assigns what it reads"
	}
}
