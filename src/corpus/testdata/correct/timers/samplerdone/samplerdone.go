// Package samplerdone is a rate sampler whose Stop closes a done channel that the sampling loop
// selects on, then waits for the loop; the loop stops the ticker with defer.
package samplerdone

import (
	"fmt"
	"sync"
	"time"
)

// Sampler records a counter's value every interval.
type Sampler struct {
	read    func() int
	done    chan struct{}
	stopped sync.WaitGroup

	mu      sync.Mutex
	samples []int
}

func NewSampler(every time.Duration, read func() int) *Sampler {
	s := &Sampler{read: read, done: make(chan struct{})}
	s.stopped.Add(1)
	go s.loop(every)
	return s
}

func (s *Sampler) loop(every time.Duration) {
	defer s.stopped.Done()
	ticker := time.NewTicker(every)
	defer ticker.Stop()
	for {
		select {
		case <-ticker.C:
			v := s.read()
			s.mu.Lock()
			s.samples = append(s.samples, v)
			s.mu.Unlock()
		case <-s.done:
			return
		}
	}
}

// Stop ends sampling and waits for the loop.
func (s *Sampler) Stop() {
	close(s.done)
	s.stopped.Wait()
}

func Run() {
	n := 0
	s := NewSampler(time.Millisecond, func() int { n++; return n })
	time.Sleep(5 * time.Millisecond)
	s.Stop()
	fmt.Println(len(s.samples) > 0)
}
