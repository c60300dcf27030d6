// Package waitbeforeread resolves a list of package versions in parallel. It waits for all
// workers before reading their results, but the workers send on an unbuffered channel, so they
// wait for the reader while the reader waits for them.
package waitbeforeread

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
	results := make(chan resolved)
	for _, n := range names {
		wg.Add(1)
		go func(n string) { // leak-go
			defer wg.Done()
			results <- resolved{name: n, version: r.latest[n]} // leak: chan send
		}(n)
	}
	wg.Wait() // leak: waitgroup
	close(results)
	out := make(map[string]string)
	for res := range results {
		out[res.name] = res.version
	}
	return out
}

func Run() {
	r := &Resolver{latest: map[string]string{"yaml": "3.0.1", "cobra": "1.8.0"}}
	go func() { // leak-go
		fmt.Println(r.ResolveAll([]string{"yaml", "cobra"}))
	}()
}
