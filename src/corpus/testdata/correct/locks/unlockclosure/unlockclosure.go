// Package unlockclosure is a rate limiter whose Allow method releases its lock through a local
// closure called before each return, and whose Reserve releases it in a deferred closure that
// also records metrics. Every path unlocks.
package unlockclosure

import (
	"fmt"
	"sync"
	"time"
)

// Limiter is a token bucket.
type Limiter struct {
	mu       sync.Mutex
	tokens   float64
	max      float64
	rate     float64 // tokens per second
	last     time.Time
	rejected int
}

func NewLimiter(rate, burst float64) *Limiter {
	return &Limiter{tokens: burst, max: burst, rate: rate, last: time.Now()}
}

func (l *Limiter) refill(now time.Time) {
	l.tokens += now.Sub(l.last).Seconds() * l.rate
	if l.tokens > l.max {
		l.tokens = l.max
	}
	l.last = now
}

// Allow takes a token if one is available.
func (l *Limiter) Allow() bool {
	l.mu.Lock()
	unlock := func() { l.mu.Unlock() }
	l.refill(time.Now())
	if l.tokens < 1 {
		l.rejected++
		unlock()
		return false
	}
	l.tokens--
	unlock()
	return true
}

// Reserve takes n tokens, going into debt if needed, and returns how long to wait.
func (l *Limiter) Reserve(n float64) (wait time.Duration) {
	l.mu.Lock()
	defer func() {
		if wait > 0 {
			l.rejected++
		}
		l.mu.Unlock()
	}()
	l.refill(time.Now())
	l.tokens -= n
	if l.tokens >= 0 {
		return 0
	}
	return time.Duration(-l.tokens / l.rate * float64(time.Second))
}

func Run() {
	l := NewLimiter(100, 5)
	var wg sync.WaitGroup
	allowed := make(chan bool, 20)
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			allowed <- l.Allow()
		}()
	}
	wg.Wait()
	close(allowed)
	n := 0
	for ok := range allowed {
		if ok {
			n++
		}
	}
	fmt.Println(n, "allowed; next wait", l.Reserve(10) > 0)
}
