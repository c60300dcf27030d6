package fixtures

import (
	"fmt"
	"time"
)

func idleTimeout(in <-chan int, running *bool) {
	for *running {
		select {
		case v := <-in:
			fmt.Println(v)
		case <-time.After(time.Minute): // want "since Go 1.23 the timers of losing iterations are collected"
		}
	}
}

func everyCall() <-chan time.Time {
	return time.Tick(time.Second) // want "since Go 1.23 it is collected once unreferenced"
}
