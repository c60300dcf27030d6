package fixtures

import "time"

// A go.mod without a go line means Go 1.16 to the go command: tickers are not collected.
func sample(in <-chan int) int {
	t := time.NewTicker(time.Second) // want "before Go 1.23 an unstopped ticker is never garbage-collected"
	select {
	case <-t.C:
		return 0
	case v := <-in:
		return v
	}
}
