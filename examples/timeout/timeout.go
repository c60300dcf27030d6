// Package timeout gives a slow call a deadline with select and time.After.
//
// The leak: the call runs in a goroutine that sends its result on an unbuffered channel. When
// the timeout wins the select, the caller returns and nobody will ever receive: the goroutine
// finishes its work and then blocks on the send forever.
package timeout

import (
	"errors"
	"time"
)

// ErrTimeout is returned when the call takes longer than allowed.
var ErrTimeout = errors.New("timed out")

// CallLeaky strands the goroutine on its send whenever the timeout fires first.
func CallLeaky(call func() string, limit time.Duration) (string, error) {
	result := make(chan string)
	go func() {
		result <- call() // blocks forever if the caller has timed out
	}()
	select {
	case r := <-result:
		return r, nil
	case <-time.After(limit):
		return "", ErrTimeout
	}
}

// CallFixed gives the channel a buffer of one, so the late send completes and the goroutine
// exits even when nobody is listening any more.
func CallFixed(call func() string, limit time.Duration) (string, error) {
	result := make(chan string, 1)
	go func() {
		result <- call()
	}()
	select {
	case r := <-result:
		return r, nil
	case <-time.After(limit):
		return "", ErrTimeout
	}
}
