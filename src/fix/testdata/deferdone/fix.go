// Package deferdone: goroutines that skip wg.Done() on an early return.
package deferdone

import "sync"

// Fetch waits for every fetch; an error return skips the Done.
func Fetch(urls []string, fetch func(string) error) {
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Add(1)
		go func(u string) {
			if err := fetch(u); err != nil {
				return
			}
			if u == "" {
				return
			}
			wg.Done()
		}(u)
	}
	wg.Wait()
}

// Late registers the deferred Done after a return that can skip it.
func Late(urls []string, fetch func(string) error) {
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Add(1)
		go func(u string) {
			if u == "" {
				return
			}
			defer wg.Done()
			_ = fetch(u)
		}(u)
	}
	wg.Wait()
}
