// Package errgroup fetches objects in parallel and returns the first error, in the style of
// golang.org/x/sync/errgroup: a WaitGroup counts the workers, sync.Once keeps the first error and
// cancels the shared context so the others stop early, and Wait returns after all of them.
package errgroup

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// group runs functions and keeps the first error.
type group struct {
	wg      sync.WaitGroup
	errOnce sync.Once
	err     error
	cancel  context.CancelFunc
}

func withContext(ctx context.Context) (*group, context.Context) {
	ctx, cancel := context.WithCancel(ctx)
	return &group{cancel: cancel}, ctx
}

func (g *group) Go(f func() error) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		if err := f(); err != nil {
			g.errOnce.Do(func() {
				g.err = err
				g.cancel()
			})
		}
	}()
}

func (g *group) Wait() error {
	g.wg.Wait()
	g.cancel()
	return g.err
}

var errUnavailable = errors.New("object store unavailable")

// Fetcher downloads objects.
type Fetcher struct {
	get func(ctx context.Context, id int) ([]byte, error)
}

// FetchAll fetches every id and returns the first error.
func (f *Fetcher) FetchAll(ctx context.Context, ids []int) ([][]byte, error) {
	g, ctx := withContext(ctx)
	out := make([][]byte, len(ids))
	for i, id := range ids {
		i, id := i, id
		g.Go(func() error {
			b, err := f.get(ctx, id)
			out[i] = b
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return out, nil
}

func Run() {
	f := &Fetcher{get: func(ctx context.Context, id int) ([]byte, error) {
		if id == 3 {
			return nil, errUnavailable
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		default:
			return []byte{byte(id)}, nil
		}
	}}
	_, err := f.FetchAll(context.Background(), []int{1, 2, 3, 4, 5})
	fmt.Println(err)
}
