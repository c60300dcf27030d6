// Package bufferedresults resolves package versions in parallel and waits for all workers before
// reading their results. The results channel has room for every worker, so the sends complete
// before Wait returns.
package bufferedresults

import (
	"fmt"
	"sync"
)

type resolved struct {
	name    string
	version string
}

// Resolver finds the latest version of packages.
type Resolver struct {
	latest map[string]string
}

// ResolveAll returns the latest version of every package.
func (r *Resolver) ResolveAll(names []string) map[string]string {
	var wg sync.WaitGroup
	results := make(chan resolved, len(names))
	for _, n := range names {
		wg.Add(1)
		go func(n string) {
			defer wg.Done()
			results <- resolved{name: n, version: r.latest[n]}
		}(n)
	}
	wg.Wait()
	close(results)
	out := make(map[string]string)
	for res := range results {
		out[res.name] = res.version
	}
	return out
}

func Run() {
	r := &Resolver{latest: map[string]string{"yaml": "3.0.1", "cobra": "1.8.0"}}
	fmt.Println(r.ResolveAll([]string{"yaml", "cobra"}))
}
