// Package condunchanged is a concurrency limiter on sync.Cond. Release signals the waiters but
// forgets to decrement the active count, so the condition a waiter loops on never changes and it
// goes back to Cond.Wait every time it is woken.
package condunchanged

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
		l.cond.Wait() // leak: cond
	}
	l.active++
}

func (l *Limiter) Release() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.cond.Signal() // leak-site: active is never decremented
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
	u.upload("a.bin")
	u.upload("b.bin")
	go u.upload("c.bin") // leak-go
	fmt.Println("uploads queued")
}
