// Package refreshloop is a token source that refreshes its token on a timer or on demand. The
// refresh loop, started as a method of a field, has no case that returns, so Close cannot stop it
// and it outlives its owner.
package refreshloop

import (
	"fmt"
	"sync"
	"time"
)

type refresher struct {
	every time.Duration
	force chan struct{}

	mu    sync.Mutex
	token string
	gen   int
}

func (r *refresher) loop() {
	t := time.NewTimer(r.every)
	defer t.Stop()
	for {
		select { // leak: select
		case <-t.C:
			r.refresh()
			t.Reset(r.every)
		case <-r.force:
			r.refresh()
		}
	}
}

func (r *refresher) refresh() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.gen++
	r.token = fmt.Sprintf("token-%d", r.gen)
}

// TokenSource hands out a periodically refreshed token.
type TokenSource struct {
	r *refresher
}

func NewTokenSource(every time.Duration) *TokenSource {
	ts := &TokenSource{r: &refresher{every: every, force: make(chan struct{}, 1)}}
	ts.r.refresh()
	go ts.r.loop() // leak-go
	return ts
}

func (ts *TokenSource) Token() string {
	ts.r.mu.Lock()
	defer ts.r.mu.Unlock()
	return ts.r.token
}

// Invalidate asks for a new token now.
func (ts *TokenSource) Invalidate() {
	select {
	case ts.r.force <- struct{}{}:
	default:
	}
}

// Close releases the token source.
func (ts *TokenSource) Close() {
	ts.r.mu.Lock()
	ts.r.token = "" // leak-site: the refresh loop has no way to stop
	ts.r.mu.Unlock()
}

func Run() {
	ts := NewTokenSource(time.Hour)
	ts.Invalidate()
	fmt.Println(ts.Token() != "")
	ts.Close()
}
