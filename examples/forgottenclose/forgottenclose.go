// Package forgottenclose hands jobs to a worker goroutine over a channel.
//
// The leak: the worker ranges over the jobs channel, and a range over a channel only ends
// when the channel is closed. The caller sends every job, collects every result and returns,
// but never closes jobs, so the worker waits for a next job that never comes.
package forgottenclose

import "strings"

// ShoutLeaky upper-cases every word with a worker goroutine that is never told to stop.
func ShoutLeaky(words []string) []string {
	jobs := make(chan string)
	results := make(chan string, len(words))
	go func() {
		for w := range jobs { // never ends: jobs is never closed
			results <- strings.ToUpper(w)
		}
	}()
	for _, w := range words {
		jobs <- w
	}
	out := make([]string, 0, len(words))
	for range words {
		out = append(out, <-results)
	}
	return out
}

// ShoutFixed closes jobs when it returns, which ends the worker's range loop.
func ShoutFixed(words []string) []string {
	jobs := make(chan string)
	defer close(jobs)
	results := make(chan string, len(words))
	go func() {
		for w := range jobs {
			results <- strings.ToUpper(w)
		}
	}()
	for _, w := range words {
		jobs <- w
	}
	out := make([]string, 0, len(words))
	for range words {
		out = append(out, <-results)
	}
	return out
}
