// Package cancelfield is a log shipper that keeps the cancel function of its background context
// in a field. Close flushes and closes the output but never calls the cancel function, so the
// shipping loop waits on its context forever.
package cancelfield

import (
	"context"
	"fmt"
	"strings"
	"sync"
)

// Shipper sends log lines to a remote collector in batches.
type Shipper struct {
	ctx    context.Context
	cancel context.CancelFunc
	lines  chan string

	mu      sync.Mutex
	shipped []string
	out     strings.Builder
}

func NewShipper() *Shipper {
	ctx, cancel := context.WithCancel(context.Background())
	s := &Shipper{ctx: ctx, cancel: cancel, lines: make(chan string, 128)}
	go s.ship() // leak-go
	return s
}

func (s *Shipper) ship() {
	for {
		select { // leak: select
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

// Close flushes the shipped lines to the output.
func (s *Shipper) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.out.WriteString(strings.Join(s.shipped, "\n")) // leak-site: s.cancel is never called
	return nil
}

func Run() {
	s := NewShipper()
	s.Log("service started")
	fmt.Println(s.Close())
}
