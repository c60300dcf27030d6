// Package hang deadlocks: Wait is called before anyone can send.
package hang

func Exchange() int {
	ch := make(chan int)
	ch <- 1
	return <-ch
}
