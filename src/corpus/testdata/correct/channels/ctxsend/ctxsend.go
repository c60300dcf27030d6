// Package ctxsend is a sharded search whose shards send their hits inside a select that also
// watches the request's context, so a shard that answers after the caller gave up returns
// instead of blocking.
package ctxsend

import (
	"context"
	"fmt"
	"strings"
)

type shard struct {
	docs  []string
	ready <-chan struct{}
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
		go func(s *shard) {
			hits := s.search(q)
			select {
			case results <- hits:
			case <-ctx.Done():
			}
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
	cancel()
	_, err := ix.Search(ctx, "go")
	fmt.Println(err)
	close(loaded)

	fresh := context.Background()
	hits, err := ix.Search(fresh, "go")
	fmt.Println(len(hits), err)
}
