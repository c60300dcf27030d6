// Package buffer: stranded senders whose channel can be given the room they need.
package buffer

import "time"

// First keeps the first of len(replicas) answers.
func First(replicas []func() int) int {
	results := make(chan int)
	for _, r := range replicas {
		go func(r func() int) {
			results <- r()
		}(r)
	}
	return <-results
}

// Three starts three senders and takes one value.
func Three(f func() int) int {
	ch := make(chan int)
	go func() { ch <- f() }()
	go func() { ch <- f() }()
	go func() { ch <- f() }()
	return <-ch
}

// Timeout gives up on the sender after limit.
func Timeout(call func() string, limit time.Duration) string {
	result := make(chan string)
	go func() {
		result <- call()
	}()
	select {
	case r := <-result:
		return r
	case <-time.After(limit):
		return ""
	}
}

// Counted starts n senders in a counting loop.
func Counted(n int, f func(int) int) int {
	out := make(chan int)
	for i := 0; i < n; i++ {
		go func(i int) {
			out <- f(i)
		}(i)
	}
	return <-out
}
