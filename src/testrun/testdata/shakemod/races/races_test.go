package races

import (
	"strings"
	"testing"
	"time"
)

// spin stands for a little real work (about `n` microseconds), so that one replica or worker
// is usually, not always, slower than another.
func spin(n int) int {
	deadline := time.Now().Add(time.Duration(n) * time.Microsecond)
	x := 0
	for time.Now().Before(deadline) {
		x++
	}
	return x
}

func TestFetch(t *testing.T) {
	v := Fetch(func() int { return 1 }, func() int { spin(20); return 2 })
	if v != 1 && v != 2 {
		t.Fatalf("got %d", v)
	}
}

func TestWatch(t *testing.T) {
	changes, cancel := Watch([]string{"a", "b"}, strings.ToUpper)
	// The caller loses interest before reading anything.
	cancel()
	_ = changes
}

func TestTransfer(t *testing.T) {
	a, b := &Account{balance: 10}, &Account{balance: 10}
	done := make(chan struct{}, 2)
	go func() { Transfer(a, b, 1); done <- struct{}{} }()
	go func() { Transfer(b, a, 1); done <- struct{}{} }()
	for i := 0; i < 2; i++ {
		select {
		case <-done:
		case <-time.After(200 * time.Millisecond):
			t.Error("transfers did not finish")
			return
		}
	}
}

func TestGather(t *testing.T) {
	out := Gather([]int{1, 2, 3}, func(v int) int { return v * 2 })
	if len(out) > 3 {
		t.Fatalf("got %v", out)
	}
}
