package fixtures

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

func deferredStop(ctx context.Context) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			fmt.Println(now)
		}
	}
}

func timerReset(ctx context.Context, in <-chan int) {
	timer := time.NewTimer(time.Minute)
	defer timer.Stop()
	for {
		timer.Reset(time.Minute)
		select {
		case <-ctx.Done():
			return
		case v := <-in:
			fmt.Println(v)
		case <-timer.C:
			fmt.Println("idle")
		}
	}
}

func stoppedOnBranch(d time.Duration) bool {
	t := time.NewTimer(d)
	select {
	case <-t.C:
		return true
	default:
		t.Stop()
		return false
	}
}

func returned(d time.Duration) *time.Ticker {
	t := time.NewTicker(d)
	return t
}

func passedOn(d time.Duration) {
	t := time.NewTicker(d)
	consume(t)
}

func consume(t *time.Ticker) { t.Stop() }

type poller struct {
	tick *time.Ticker
	done chan struct{}
}

func newPoller() *poller {
	p := &poller{done: make(chan struct{})}
	p.tick = time.NewTicker(time.Second)
	go p.loop()
	return p
}

func (p *poller) loop() {
	for {
		select {
		case <-p.done:
			return
		case <-p.tick.C:
		}
	}
}

func (p *poller) Close() {
	p.tick.Stop()
	close(p.done)
}

func serve(srv *http.Server) error {
	go func() { _ = srv.ListenAndServe() }()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	return srv.Shutdown(ctx)
}

// A timer fires once and is released then, even when a field keeps it.
type session struct {
	expiry *time.Timer
}

func (s *session) arm(d time.Duration) {
	s.expiry = time.NewTimer(d)
}
