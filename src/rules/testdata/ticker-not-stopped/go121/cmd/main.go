package main

import (
	"fmt"
	"time"
)

// A program's own progress ticker, made in main: it lives exactly as long as the program.
func main() {
	ticker := time.NewTicker(5 * time.Second)
	done := make(chan struct{})
	go func() {
		time.Sleep(time.Minute)
		close(done)
	}()
	for {
		select {
		case <-ticker.C:
			fmt.Println("still working")
		case <-done:
			return
		}
	}
}
