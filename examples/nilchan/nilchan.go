// Package nilchan sums word lengths computed by one goroutine per word.
//
// The leak: the results channel is declared but never made, so it is nil. A send on a nil
// channel blocks forever, and so does a receive: the select below can only ever take its
// ctx.Done() case, and every worker goroutine stays blocked on its send for good.
package nilchan

import "context"

// TotalLengthLeaky never receives a single length, and leaks one goroutine per word.
func TotalLengthLeaky(ctx context.Context, words []string) (int, error) {
	var lengths chan int // declared, never made: nil
	for _, w := range words {
		go func(w string) {
			lengths <- len(w) // a send on a nil channel blocks forever
		}(w)
	}
	total := 0
	for range words {
		select {
		case n := <-lengths:
			total += n
		case <-ctx.Done():
			return total, ctx.Err()
		}
	}
	return total, nil
}

// TotalLengthFixed makes the channel, with room for every result so that no worker is
// stranded when the caller gives up on ctx.Done().
func TotalLengthFixed(ctx context.Context, words []string) (int, error) {
	lengths := make(chan int, len(words))
	for _, w := range words {
		go func(w string) {
			lengths <- len(w)
		}(w)
	}
	total := 0
	for range words {
		select {
		case n := <-lengths:
			total += n
		case <-ctx.Done():
			return total, ctx.Err()
		}
	}
	return total, nil
}
