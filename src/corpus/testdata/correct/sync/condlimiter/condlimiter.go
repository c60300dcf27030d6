// Package condlimiter is a concurrency limiter on sync.Cond. Release gives the slot back and
// signals under the lock, so a waiter that wakes sees the condition changed.
package condlimiter

import (
	"fmt"
	"sync"
)

// Limiter lets at most max callers hold a slot.
type Limiter struct {
	mu     sync.Mutex
	cond   *sync.Cond
	active int
	max    int
}

func NewLimiter(max int) *Limiter {
	l := &Limiter{max: max}
	l.cond = sync.NewCond(&l.mu)
	return l
}

func (l *Limiter) Acquire() {
	l.mu.Lock()
	defer l.mu.Unlock()
	for l.active >= l.max {
		l.cond.Wait()
	}
	l.active++
}

func (l *Limiter) Release() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.active--
	l.cond.Signal()
}

type uploader struct {
	limit *Limiter
	mu    sync.Mutex
	done  []string
}

func (u *uploader) upload(name string) {
	u.limit.Acquire()
	defer u.limit.Release()
	u.mu.Lock()
	u.done = append(u.done, name)
	u.mu.Unlock()
}

func Run() {
	u := &uploader{limit: NewLimiter(2)}
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			u.upload(fmt.Sprintf("part-%d.bin", i))
		}(i)
	}
	wg.Wait()
	fmt.Println(len(u.done), "uploaded")
}
