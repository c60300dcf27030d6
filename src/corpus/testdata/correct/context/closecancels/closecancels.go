// Package closecancels is a log shipper that keeps the cancel function of its background context
// in a field. Close calls it and waits for the shipping loop, which returns on ctx.Done.
package closecancels

import (
	"context"
	"fmt"
	"sync"
)

// Shipper sends log lines to a remote collector.
type Shipper struct {
	ctx    context.Context
	cancel context.CancelFunc
	lines  chan string
	wg     sync.WaitGroup

	mu      sync.Mutex
	shipped []string
}

func NewShipper(parent context.Context) *Shipper {
	ctx, cancel := context.WithCancel(parent)
	s := &Shipper{ctx: ctx, cancel: cancel, lines: make(chan string, 128)}
	s.wg.Add(1)
	go s.ship()
	return s
}

func (s *Shipper) ship() {
	defer s.wg.Done()
	for {
		select {
		case <-s.ctx.Done():
			return
		case line := <-s.lines:
			s.mu.Lock()
			s.shipped = append(s.shipped, line)
			s.mu.Unlock()
		}
	}
}

func (s *Shipper) Log(line string) {
	select {
	case s.lines <- line:
	case <-s.ctx.Done():
	}
}

// Close stops shipping and waits for the loop.
func (s *Shipper) Close() error {
	s.cancel()
	s.wg.Wait()
	return nil
}

func Run() {
	s := NewShipper(context.Background())
	s.Log("service started")
	fmt.Println(s.Close())
}
