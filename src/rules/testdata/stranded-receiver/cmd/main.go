package main

// In main, a goroutine outliving its channel ends with the program: not reported.
func main() {
	ch := make(chan int)
	go func() {
		for v := range ch {
			println(v)
		}
	}()
	ch <- 1
}
