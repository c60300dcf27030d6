package fixtures

import "time"

func sampleStopped(in <-chan int) int {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	select {
	case <-t.C:
		return 0
	case v := <-in:
		return v
	}
}
