// Package races holds four leaks that depend on the schedule: each happens only when the
// goroutines interleave in an order that an ordinary run of the tests seldom produces.
package races

// Fetch asks two replicas and returns the first answer. The slower replica is meant to see
// `done` closed and give up, but it checks `done` before its send instead of selecting on both:
// when it checks before the winner's answer has been taken, it blocks on the send forever.
func Fetch(primary, replica func() int) int {
	answers := make(chan int)
	done := make(chan struct{})
	ask := func(f func() int) {
		v := f()
		select {
		case <-done:
			return
		default:
		}
		answers <- v
	}
	go ask(primary)
	go ask(replica)
	v := <-answers
	close(done)
	return v
}
