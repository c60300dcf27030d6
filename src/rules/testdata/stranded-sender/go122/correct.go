package fixtures

// A buffer of n for n senders started by ranging over the integer n.
func firstOfNBuffered(n int, work func(int) int) int {
	ch := make(chan int, n)
	for i := range n {
		go func() { ch <- work(i) }()
	}
	return <-ch
}
