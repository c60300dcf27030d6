// A main package: goroutines started from main() live for the program's lifetime.
package main

import (
	"log"
	"time"
)

func main() {
	go func() {
		for {
			log.Println("metrics")
			time.Sleep(time.Minute)
		}
	}()
	startFlusher()
	select {}
}

// Outside main(), the same loop is reported: this function may be called from anywhere.
func startFlusher() {
	go func() { // want "loops forever"
		for {
			time.Sleep(time.Second)
		}
	}()
}
