// Package selectloop batches items and flushes them on a timer, in a background goroutine.
//
// The leak: the goroutine's `for { select { ... } }` has no case that leaves the loop. When
// the caller is done with the batcher, nothing can stop the goroutine: it keeps its ticker,
// its batch and its flush function alive until the process exits.
package selectloop

import (
	"context"
	"time"
)

// StartBatcherLeaky returns the channel to send items on; the goroutine behind it never ends.
func StartBatcherLeaky(interval time.Duration, flush func([]string)) chan<- string {
	items := make(chan string)
	go func() {
		t := time.NewTicker(interval)
		defer t.Stop()
		var batch []string
		for { // no way out
			select {
			case item := <-items:
				batch = append(batch, item)
			case <-t.C:
				if len(batch) > 0 {
					flush(batch)
					batch = nil
				}
			}
		}
	}()
	return items
}

// StartBatcherFixed stops when ctx is cancelled, flushing what it still holds.
func StartBatcherFixed(ctx context.Context, interval time.Duration, flush func([]string)) chan<- string {
	items := make(chan string)
	go func() {
		t := time.NewTicker(interval)
		defer t.Stop()
		var batch []string
		for {
			select {
			case item := <-items:
				batch = append(batch, item)
			case <-t.C:
				if len(batch) > 0 {
					flush(batch)
					batch = nil
				}
			case <-ctx.Done():
				if len(batch) > 0 {
					flush(batch)
				}
				return
			}
		}
	}()
	return items
}
