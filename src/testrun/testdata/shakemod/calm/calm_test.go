package calm

import (
	"strings"
	"sync"
	"testing"
)

func TestFetch(t *testing.T) {
	if v := Fetch(func() int { return 1 }, func() int { return 2 }); v != 1 && v != 2 {
		t.Fatalf("got %d", v)
	}
}

func TestWatch(t *testing.T) {
	changes, cancel := Watch([]string{"a", "b"}, strings.ToUpper)
	if c := <-changes; c != "A" {
		t.Fatalf("got %q", c)
	}
	cancel()
}

func TestTransfer(t *testing.T) {
	a, b := &Account{ID: 1, balance: 10}, &Account{ID: 2, balance: 10}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); Transfer(a, b, 1) }()
	go func() { defer wg.Done(); Transfer(b, a, 1) }()
	wg.Wait()
	if a.balance+b.balance != 20 {
		t.Fatalf("money appeared or vanished: %d", a.balance+b.balance)
	}
}

func TestGather(t *testing.T) {
	if out := Gather([]int{1, 2, 3}, func(v int) int { return v * 2 }); len(out) != 3 {
		t.Fatalf("got %v", out)
	}
}

func TestCounter(t *testing.T) {
	var c Counter
	got := make(chan int)
	go func() { got <- c.WaitReady() }()
	var wg sync.WaitGroup
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.Inc()
		}()
	}
	if n := <-got; n < 1 {
		t.Fatalf("woke with %d", n)
	}
	wg.Wait()
	if n := c.Get(); n != 10 {
		t.Fatalf("counted %d", n)
	}
}
