package buffer

// Grown appends to the slice after the channel is made: len(items) at the make is not the
// number of senders, so no capacity can be written there.
func Grown(items []int, extra int, f func(int) int) int {
	ch := make(chan int)
	items = append(items, extra)
	for _, it := range items {
		go func(it int) {
			ch <- f(it)
		}(it)
	}
	return <-ch
}
