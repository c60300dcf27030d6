package deferdone

import "sync"

// Handshake works after its Done: deferring the Done would make it wait for the release that
// only comes after Wait returns.
func Handshake(n int, work func() error, release chan struct{}) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			if err := work(); err != nil {
				return
			}
			wg.Done()
			<-release
		}()
	}
	wg.Wait()
	close(release)
}

// Closing has a deferred close of its own: moving the Done into a defer changes their order.
func Closing(work func() error, out chan int) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer close(out)
		if err := work(); err != nil {
			return
		}
		out <- 1
		wg.Done()
	}()
	wg.Wait()
}
