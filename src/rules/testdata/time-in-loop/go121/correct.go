package fixtures

import "time"

func stopped() {
	t := time.NewTimer(time.Second)
	defer t.Stop()
	<-t.C
}

// The select sits in a loop, but an unconditional return follows it: the loop body runs once,
// so no timer is left behind by another iteration.
func firstOrTimeout(in <-chan int, retry func() bool) int {
	for {
		if retry() {
			continue
		}
		select {
		case v := <-in:
			println(v)
		case <-time.After(time.Second):
		}
		return 0
	}
}

// A library function meant to run forever on its own goroutine: the ticker lives exactly as
// long as the loop that reads it.
func CaptureStats(record func(), every time.Duration) {
	for range time.Tick(every) {
		record()
	}
}

// The same with the ticker channel kept in a local first.
func Report(send func(time.Time)) {
	tick := time.Tick(time.Minute)
	for now := range tick {
		send(now)
	}
}
