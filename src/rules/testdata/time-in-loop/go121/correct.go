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

// The loop waits for a command's output and its exit, each reported once by a goroutine
// started before the loop: it goes round at most twice.
func runWithTimeout(cmd string, timeout time.Duration) error {
	execCh := make(chan error)
	readCh := make(chan error)
	go execute(cmd, execCh)
	go readOutput(cmd, readCh)
	finished := false
	for !finished {
		select {
		case err := <-readCh:
			finished = true
			_ = err
		case err := <-execCh:
			if err != nil {
				return err
			}
		case <-time.After(timeout):
			return errTimeout
		}
	}
	return nil
}

func execute(cmd string, done chan<- error) {
	println("running", cmd)
	done <- nil
}

func readOutput(cmd string, done chan<- error) {
	println("reading", cmd)
	done <- nil
}

var errTimeout = errString("timeout")

type errString string

func (e errString) Error() string { return string(e) }
