// Package clean starts goroutines that all finish.
package clean

import "context"

func Sum(ctx context.Context, xs []int) int {
	out := make(chan int, len(xs))
	for _, x := range xs {
		go func(v int) {
			select {
			case out <- v * 2:
			case <-ctx.Done():
			}
		}(x)
	}
	total := 0
	for range xs {
		total += <-out
	}
	return total
}
