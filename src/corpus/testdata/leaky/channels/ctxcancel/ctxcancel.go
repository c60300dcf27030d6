// Package ctxcancel is a sharded search: each shard answers on a shared results channel and the
// collector gives up when the request's context is cancelled. Shards that answer after the
// cancellation block on the unbuffered send forever.
package ctxcancel

import (
	"context"
	"fmt"
	"strings"
)

type shard struct {
	docs  []string
	ready <-chan struct{} // the shard's index is loading
}

func (s *shard) search(q string) []string {
	<-s.ready
	var hits []string
	for _, d := range s.docs {
		if strings.Contains(d, q) {
			hits = append(hits, d)
		}
	}
	return hits
}

// Index searches all shards in parallel.
type Index struct {
	shards []*shard
}

func (ix *Index) Search(ctx context.Context, q string) ([]string, error) {
	results := make(chan []string)
	for _, s := range ix.shards {
		go func(s *shard) { // leak-go
			results <- s.search(q) // leak: chan send
		}(s)
	}
	var all []string
	for range ix.shards {
		select {
		case hits := <-results:
			all = append(all, hits...)
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return all, nil
}

func Run() {
	loaded := make(chan struct{})
	ix := &Index{shards: []*shard{
		{docs: []string{"go leaks", "go vet"}, ready: loaded},
		{docs: []string{"rust", "go test"}, ready: loaded},
	}}
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // the client went away before the shards were ready
	_, err := ix.Search(ctx, "go")
	fmt.Println(err)
	close(loaded)
}
