package fixtures

import (
	"fmt"
	"time"
)

func pollOnce(in <-chan int) {
	t := time.NewTicker(time.Second) // want "ticker `t` from time.NewTicker is never stopped: before Go 1.23 an unstopped ticker is never garbage-collected"
	select {
	case <-t.C:
	case v := <-in:
		fmt.Println(v)
	}
}

func waitTimeout(in <-chan int) int {
	timer := time.NewTimer(time.Hour) // want "timer `timer` from time.NewTimer is never stopped: before Go 1.23 the runtime keeps an unstopped timer alive until it fires"
	select {
	case v := <-in:
		return v
	case <-timer.C:
		return 0
	}
}

type server struct {
	heartbeat *time.Ticker
}

func (s *server) start() {
	s.heartbeat = time.NewTicker(time.Second) // want "kept in field `s.heartbeat` and nothing in the package stops it"
}

// Reconfigure replaces the ticker without stopping the old one: each call leaks a ticker.
type Scheduler struct {
	tick *time.Ticker
}

func NewScheduler(d time.Duration) *Scheduler {
	return &Scheduler{tick: time.NewTicker(d)}
}

func (s *Scheduler) Reconfigure(d time.Duration) {
	s.tick = time.NewTicker(d) // want "ticker field `s.tick` is assigned a new ticker without stopping the one it holds"
}

func (s *Scheduler) Close() { s.tick.Stop() }
