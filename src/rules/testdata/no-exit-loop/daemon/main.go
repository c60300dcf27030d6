// Daemon goroutines started from main() live as long as the program: not reported.
package main

import (
	"context"
	"log"
	"time"
)

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	events := make(chan string)
	go func() {
		for {
			select {
			case e := <-events:
				log.Println(e)
			case <-time.After(time.Minute):
				log.Println("idle")
			}
		}
	}()
	go func() {
		for range time.Tick(time.Second) {
			log.Println("tick")
		}
	}()
	events <- "start"
	<-ctx.Done()
}
