package fixtures

// Go 1.22 range over an integer: the bound is n itself.
func firstOfN(n int, work func(int) int) int {
	ch := make(chan int)
	for i := range n {
		go func() { ch <- work(i) }() // want "a goroutine started in a loop sends on unbuffered channel `ch`, but only one value is received"
	}
	return <-ch
}
