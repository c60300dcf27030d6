package fixtures

import "sync"

// wg.Go (Go 1.25) does the Add before starting the goroutine.
func withGo(items []int) {
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Go(func() {
			_ = it * 2
		})
	}
	wg.Wait()
}
