package races

import "sync"

// Gather hands the inputs to one worker goroutine each and collects the results until every
// worker is done. A worker calls wg.Add itself, after taking its job: when the collector's Wait
// runs before the last worker's Add, Wait returns early, the collector stops reading, and that
// worker blocks on its send forever. (wg.Add belongs before the go statement.)
func Gather(inputs []int, work func(int) int) []int {
	jobs := make(chan int)
	results := make(chan int)
	var wg sync.WaitGroup
	for range inputs {
		go func() {
			in := <-jobs
			wg.Add(1)
			defer wg.Done()
			results <- work(in)
		}()
	}
	for _, in := range inputs {
		jobs <- in
	}
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	var out []int
	for {
		select {
		case r := <-results:
			out = append(out, r)
		case <-done:
			return out
		}
	}
}
