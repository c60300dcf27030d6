// Package parallel has a fan-in whose WaitGroup waiter never returns when a worker is missing.
package parallel

import "sync"

// WaitFor waits for n workers but only starts n-1 of them when skip is true.
func WaitFor(n int, skip bool) {
	var wg sync.WaitGroup
	wg.Add(n)
	for i := 0; i < n; i++ {
		if skip && i == 0 {
			continue
		}
		go wg.Done()
	}
	go func() { wg.Wait() }()
}
