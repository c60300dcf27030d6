// Command demo runs each example's leaking function and its fixed twin once and prints how
// many goroutines each left behind. The leaks are real: the counts come from the runtime.
//
//	go run ./cmd/demo
package main

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"time"

	"example.com/leaks/firstresponse"
	"example.com/leaks/forgottenclose"
	"example.com/leaks/lostcancel"
	"example.com/leaks/nilchan"
	"example.com/leaks/pipeline"
	"example.com/leaks/selectloop"
	"example.com/leaks/ticker"
	"example.com/leaks/timeout"
	"example.com/leaks/waitgroup"
)

// settle is how long finished goroutines get to exit before they are counted.
const settle = 50 * time.Millisecond

func main() {
	fmt.Println("goroutines left behind by one call (leaky vs fixed):")
	compare("firstresponse", firstResponse(firstresponse.FirstLeaky), firstResponse(firstresponse.FirstFixed))
	compare("pipeline", func() { pipeline.FirstSquareOverLeaky(10, 1, 2, 3, 4, 5, 6) }, func() { pipeline.FirstSquareOverFixed(10, 1, 2, 3, 4, 5, 6) })
	compare("forgottenclose", func() { forgottenclose.ShoutLeaky([]string{"a", "b"}) }, func() { forgottenclose.ShoutFixed([]string{"a", "b"}) })
	compare("nilchan", totalLength(nilchan.TotalLengthLeaky), totalLength(nilchan.TotalLengthFixed))
	compare("selectloop", startBatcherLeaky, startBatcherFixed)
	compare("waitgroup", fetchAll(waitgroup.FetchAllLeaky), fetchAll(waitgroup.FetchAllFixed))
	compare("timeout", slowCall(timeout.CallLeaky), slowCall(timeout.CallFixed))
	// These two leak timers rather than goroutines, which the goroutine count cannot show.
	lookup := func(ctx context.Context, key string) (string, error) { return "value of " + key, nil }
	_, errLeaky := lostcancel.GetLeaky(context.Background(), "", lookup)
	_, errFixed := lostcancel.GetFixed(context.Background(), "", lookup)
	fmt.Printf("  %-15s leaks a context timer on the error path (%v / %v)\n", "lostcancel", errLeaky, errFixed)
	ready := func() bool { return true }
	ticker.WaitUntilLeaky(context.Background(), time.Millisecond, ready)
	ticker.WaitUntilFixed(context.Background(), time.Millisecond, ready)
	fmt.Printf("  %-15s leaks a running ticker on every call\n", "ticker")
}

func compare(name string, leaky, fixed func()) {
	fmt.Printf("  %-15s %d vs %d\n", name, leftBehind(leaky), leftBehind(fixed))
}

func leftBehind(run func()) int {
	before := runtime.NumGoroutine()
	run()
	time.Sleep(settle)
	return runtime.NumGoroutine() - before
}

func firstResponse(first func(string, ...firstresponse.Search) firstresponse.Result) func() {
	replica := func(name string, delay time.Duration) firstresponse.Search {
		return func(q string) firstresponse.Result {
			time.Sleep(delay)
			return firstresponse.Result{Replica: name, Body: q}
		}
	}
	return func() {
		first("golang", replica("a", time.Millisecond), replica("b", 2*time.Millisecond), replica("c", 3*time.Millisecond))
	}
}

func totalLength(total func(context.Context, []string) (int, error)) func() {
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
		defer cancel()
		_, _ = total(ctx, []string{"one", "two", "three"})
	}
}

func startBatcherLeaky() {
	items := selectloop.StartBatcherLeaky(time.Millisecond, func([]string) {})
	items <- "x"
}

func startBatcherFixed() {
	ctx, cancel := context.WithCancel(context.Background())
	items := selectloop.StartBatcherFixed(ctx, time.Millisecond, func([]string) {})
	items <- "x"
	cancel()
}

// fetchAll runs the fetcher in its own goroutine: the leaky one never returns when a fetch
// fails, so the demo counts the stuck caller instead of hanging with it.
func fetchAll(fetch func([]string, waitgroup.Fetch) [][]byte) func() {
	failing := func(url string) ([]byte, error) {
		if url == "bad" {
			return nil, errors.New("404")
		}
		return []byte(url), nil
	}
	return func() {
		done := make(chan struct{})
		go func() {
			defer close(done)
			fetch([]string{"good", "bad"}, failing)
		}()
		select {
		case <-done:
		case <-time.After(settle):
		}
	}
}

func slowCall(call func(func() string, time.Duration) (string, error)) func() {
	return func() {
		_, _ = call(func() string { time.Sleep(10 * time.Millisecond); return "late" }, time.Millisecond)
	}
}
