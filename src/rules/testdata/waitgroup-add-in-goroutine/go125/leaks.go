package fixtures

import "sync"

// Mixing wg.Go with a hand-written goroutine that adds itself is still wrong.
func mixed(items []int) {
	var wg sync.WaitGroup
	wg.Go(func() {})
	go func() {
		wg.Add(1) // want "`wg.Add` runs inside the goroutine it counts"
		defer wg.Done()
	}()
	wg.Wait()
}
