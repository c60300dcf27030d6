// Package sequentialreuse runs database migrations one after another, each in a goroutine with
// a deadline. The single result channel has a buffer of one and is reused: each goroutine's
// result is received (or, after a timeout, left in the buffer and drained) before the next
// migration starts, so no send ever finds the buffer full.
package sequentialreuse

import (
	"errors"
	"fmt"
	"time"
)

var errTimeout = errors.New("migration timed out")

type migration struct {
	name string
	run  func() error
}

// Runner applies migrations in order.
type Runner struct {
	timeout time.Duration
	result  chan error
}

func NewRunner(timeout time.Duration) *Runner {
	return &Runner{timeout: timeout, result: make(chan error, 1)}
}

func (r *Runner) apply(m migration) error {
	go func() { r.result <- m.run() }()
	select {
	case err := <-r.result:
		return err
	case <-time.After(r.timeout):
		<-r.result // wait for the straggler so the buffer is free for the next migration
		return errTimeout
	}
}

// Apply runs every migration and stops at the first failure.
func (r *Runner) Apply(ms []migration) error {
	for _, m := range ms {
		if err := r.apply(m); err != nil {
			return fmt.Errorf("%s: %w", m.name, err)
		}
	}
	return nil
}

func Run() {
	r := NewRunner(5 * time.Millisecond)
	err := r.Apply([]migration{
		{"001_users", func() error { return nil }},
		{"002_orders", func() error { return nil }},
		{"003_index", func() error { time.Sleep(15 * time.Millisecond); return nil }},
	})
	fmt.Println(err)
}
