// Package cancelonerror opens a lease and keeps it alive from a goroutine until the lease's
// context is cancelled. Open cancels the context on its error path, so the keep-alive goroutine
// ends when registration fails.
package cancelonerror

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

var errConflict = errors.New("lease: key already held")

// Lease is a time-limited claim on a key.
type Lease struct {
	key    string
	cancel context.CancelFunc
	done   chan struct{}
}

// Release ends the lease and waits for its keep-alive.
func (l *Lease) Release() {
	l.cancel()
	<-l.done
}

// Leases grants leases on keys.
type Leases struct {
	mu   sync.Mutex
	held map[string]bool
}

func (ls *Leases) keepAlive(ctx context.Context, key string, done chan<- struct{}) {
	defer close(done)
	<-ctx.Done()
	ls.mu.Lock()
	if ls.held[key] {
		delete(ls.held, key)
	}
	ls.mu.Unlock()
}

func (ls *Leases) register(key string) error {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	if ls.held[key] {
		return errConflict
	}
	ls.held[key] = true
	return nil
}

// Open acquires a lease on key.
func (ls *Leases) Open(parent context.Context, key string) (*Lease, error) {
	if err := ls.register(key); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(parent)
	done := make(chan struct{})
	go ls.keepAlive(ctx, key, done)
	return &Lease{key: key, cancel: cancel, done: done}, nil
}

func Run() {
	ls := &Leases{held: make(map[string]bool)}
	first, err := ls.Open(context.Background(), "scheduler")
	if err != nil {
		panic(err)
	}
	_, err = ls.Open(context.Background(), "scheduler")
	fmt.Println(err)
	first.Release()
}
