// Package lostcancel opens a lease and keeps it alive from a goroutine until the lease's context
// is cancelled. When registering the lease fails, Open returns the error without calling cancel,
// and the keep-alive goroutine waits on ctx.Done() forever.
package lostcancel

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
}

func (l *Lease) Release() { l.cancel() }

// Leases grants leases on keys.
type Leases struct {
	mu   sync.Mutex
	held map[string]bool
}

func (ls *Leases) keepAlive(ctx context.Context, key string) {
	<-ctx.Done() // leak: chan receive
	ls.mu.Lock()
	delete(ls.held, key)
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
	ctx, cancel := context.WithCancel(parent) // leak-site: cancel is not called on the error path
	go ls.keepAlive(ctx, key)                 // leak-go
	if err := ls.register(key); err != nil {
		return nil, err // leak-site: returns without cancel()
	}
	return &Lease{key: key, cancel: cancel}, nil
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
