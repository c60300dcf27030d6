// Package tickerstop is a rate sampler whose Stop stops the ticker and assumes the loop ends
// with it. Ticker.Stop does not close the ticker's channel, so the range loop waits forever.
package tickerstop

import (
	"fmt"
	"sync"
	"time"
)

// Sampler records a counter's rate every interval.
type Sampler struct {
	ticker *time.Ticker
	read   func() int

	mu      sync.Mutex
	samples []int
}

func NewSampler(every time.Duration, read func() int) *Sampler {
	s := &Sampler{ticker: time.NewTicker(every), read: read}
	go s.loop() // leak-go
	return s
}

func (s *Sampler) loop() {
	for range s.ticker.C { // leak: chan receive
		v := s.read()
		s.mu.Lock()
		s.samples = append(s.samples, v)
		s.mu.Unlock()
	}
}

// Stop ends sampling.
func (s *Sampler) Stop() {
	s.ticker.Stop() // leak-site: stopping the ticker does not close its channel
}

func Run() {
	n := 0
	var mu sync.Mutex
	s := NewSampler(time.Millisecond, func() int { mu.Lock(); defer mu.Unlock(); n++; return n })
	time.Sleep(5 * time.Millisecond)
	s.Stop()
	fmt.Println("sampler stopped")
}
