// Package selectdone: a receiver that leaves on ctx.Done() while its sender keeps sending.
package selectdone

import "context"

// Produce sends values until the consumer stops on ctx.Done().
func Produce(ctx context.Context, next func() (int, bool), use func(int)) {
	ch := make(chan int)
	go func() {
		for {
			v, ok := next()
			if !ok {
				return
			}
			ch <- v
		}
	}()
	for {
		select {
		case v := <-ch:
			use(v)
		case <-ctx.Done():
			return
		}
	}
}
