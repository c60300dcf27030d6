// Package chans has a first-response-wins helper that strands its slower senders.
package chans

// First returns the first of n answers; the other n-1 senders block forever on the
// unbuffered channel.
func First(n int) int {
	ch := make(chan int)
	for i := 0; i < n; i++ {
		go func(v int) { ch <- v }(i)
	}
	return <-ch
}

// FirstBuffered is the fixed twin: every sender has a slot.
func FirstBuffered(n int) int {
	ch := make(chan int, n)
	for i := 0; i < n; i++ {
		go func(v int) { ch <- v }(i)
	}
	return <-ch
}
