// Package tickerfield is a cache janitor that keeps its ticker in a field. The sweep loop selects
// on the ticker and a stop channel; Close stops the ticker, closes the stop channel and waits.
package tickerfield

import (
	"fmt"
	"sync"
	"time"
)

// Janitor evicts expired entries periodically.
type Janitor struct {
	ticker *time.Ticker
	stop   chan struct{}
	wg     sync.WaitGroup

	mu      sync.Mutex
	entries map[string]time.Time
}

func NewJanitor(every time.Duration) *Janitor {
	j := &Janitor{ticker: time.NewTicker(every), stop: make(chan struct{}), entries: make(map[string]time.Time)}
	j.wg.Add(1)
	go j.loop()
	return j
}

func (j *Janitor) loop() {
	defer j.wg.Done()
	for {
		select {
		case now := <-j.ticker.C:
			j.sweep(now)
		case <-j.stop:
			return
		}
	}
}

func (j *Janitor) sweep(now time.Time) {
	j.mu.Lock()
	defer j.mu.Unlock()
	for k, exp := range j.entries {
		if now.After(exp) {
			delete(j.entries, k)
		}
	}
}

func (j *Janitor) Put(key string, ttl time.Duration) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.entries[key] = time.Now().Add(ttl)
}

// Close stops the janitor.
func (j *Janitor) Close() {
	j.ticker.Stop()
	close(j.stop)
	j.wg.Wait()
}

func Run() {
	j := NewJanitor(time.Millisecond)
	j.Put("a", time.Millisecond)
	time.Sleep(5 * time.Millisecond)
	j.Close()
	fmt.Println(len(j.entries), "entries left")
}
