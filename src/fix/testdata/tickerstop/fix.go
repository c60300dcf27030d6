// Package tickerstop: tickers nobody stops.
package tickerstop

import (
	"context"
	"time"
)

// Poll checks until ok or ctx ends.
func Poll(ctx context.Context, every time.Duration, ok func() bool) bool {
	t := time.NewTicker(every) // polls
	for {
		select {
		case <-ctx.Done():
			return false
		case <-t.C:
			if ok() {
				return true
			}
		}
	}
}
