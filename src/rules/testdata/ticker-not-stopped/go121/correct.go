package fixtures

import (
	"time"

	"fixtures/clock"
)

func stopped() {
	t := time.NewTimer(time.Second)
	defer t.Stop()
	<-t.C
}

// A ticker handed to another package's struct: that package stops it.
func runClock() {
	opts := &clock.Options{}
	opts.Ticker = time.NewTicker(time.Second)
	clock.Run(opts)
}

// The old ticker is stopped before the new one replaces it.
type Poller struct {
	tick *time.Ticker
}

func NewPoller(d time.Duration) *Poller {
	return &Poller{tick: time.NewTicker(d)}
}

func (p *Poller) SetInterval(d time.Duration) {
	p.tick.Stop()
	p.tick = time.NewTicker(d)
}

func (p *Poller) Close() { p.tick.Stop() }
