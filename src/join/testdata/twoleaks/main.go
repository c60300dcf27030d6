// Command twoleaks leaks goroutines in two ways, waits until they are parked, and prints the
// stacks of all goroutines (runtime.Stack) to stdout. The join test builds it with -trimpath in
// another directory and reads the dump with `goroscope dump --source` and `scan --evidence`:
//   - fetch: a worker sends its result after the caller gave up on a timeout (scan finds it);
//   - subscribe: a reader waits for updates that only a func value kept in a map would send,
//     and nothing calls it (scan does not find it: the sender is a stored callback).
package main

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"time"
)

// Fetches is how many fetches time out, each leaving one sender behind.
const Fetches = 3

func slowCall(release <-chan struct{}) string {
	<-release
	return "done"
}

func fetch(timeout time.Duration, release <-chan struct{}) (string, error) {
	result := make(chan string)
	go func() {
		result <- slowCall(release)
	}()
	select {
	case r := <-result:
		return r, nil
	case <-time.After(timeout):
		return "", errors.New("timeout")
	}
}

// handlers are called by an event loop this program never starts.
var handlers = map[string]func(){}

func subscribe(topic string) {
	updates := make(chan string)
	handlers[topic] = func() { updates <- topic }
	go func() {
		for u := range updates {
			fmt.Fprintln(os.Stderr, "update", u)
		}
	}()
}

func main() {
	release := make(chan struct{})
	for i := 0; i < Fetches; i++ {
		if _, err := fetch(time.Millisecond, release); err == nil {
			fmt.Fprintln(os.Stderr, "fetch did not time out")
			os.Exit(1)
		}
	}
	// The workers now finish their calls and block sending results nobody receives.
	close(release)
	subscribe("prices")
	// Wait until every leaked goroutine is parked: main, 3 senders, 1 reader.
	want := 1 + Fetches + 1
	for i := 0; i < 500 && runtime.NumGoroutine() != want; i++ {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond)
	buf := make([]byte, 1<<20)
	os.Stdout.Write(buf[:runtime.Stack(buf, true)])
}
