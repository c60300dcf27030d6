package fixtures

import (
	"testing"
	"time"
)

// A test binary's tickers die with it: test files are not checked.
func TestTicks(t *testing.T) {
	tick := time.NewTicker(time.Millisecond)
	<-tick.C
}
