// Package pipeline chains goroutine stages with channels: generate → square → consumer.
//
// The leak: the consumer returns as soon as it has what it wants and stops receiving. The
// stages upstream are still trying to send their next value, and with nobody left to receive
// it they block forever, each holding its channel and everything it references.
package pipeline

// generateLeaky emits nums on the returned channel and closes it when done.
func generateLeaky(nums ...int) <-chan int {
	out := make(chan int)
	go func() {
		for _, n := range nums {
			out <- n // blocks forever once the consumer has gone
		}
		close(out)
	}()
	return out
}

// squareLeaky squares every value it receives.
func squareLeaky(in <-chan int) <-chan int {
	out := make(chan int)
	go func() {
		for n := range in {
			out <- n * n // blocks forever once the consumer has gone
		}
		close(out)
	}()
	return out
}

// FirstSquareOverLeaky returns the first square above limit, leaving both stages blocked
// whenever it returns before the input is exhausted.
func FirstSquareOverLeaky(limit int, nums ...int) (int, bool) {
	for sq := range squareLeaky(generateLeaky(nums...)) {
		if sq > limit {
			return sq, true // stops receiving: the stages above are stranded
		}
	}
	return 0, false
}

// generate is generateLeaky with a way out: it also watches done.
func generate(done <-chan struct{}, nums ...int) <-chan int {
	out := make(chan int)
	go func() {
		defer close(out)
		for _, n := range nums {
			select {
			case out <- n:
			case <-done:
				return
			}
		}
	}()
	return out
}

// square is squareLeaky with a way out.
func square(done <-chan struct{}, in <-chan int) <-chan int {
	out := make(chan int)
	go func() {
		defer close(out)
		for n := range in {
			select {
			case out <- n * n:
			case <-done:
				return
			}
		}
	}()
	return out
}

// FirstSquareOverFixed closes done on every return, which releases every stage still
// waiting to send. A context and ctx.Done() do the same job.
func FirstSquareOverFixed(limit int, nums ...int) (int, bool) {
	done := make(chan struct{})
	defer close(done)
	for sq := range square(done, generate(done, nums...)) {
		if sq > limit {
			return sq, true
		}
	}
	return 0, false
}
