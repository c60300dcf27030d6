package main

import (
	"fmt"
	"time"
)

// A program-wide ticker in main lives as long as the program: fine.
func main() {
	for now := range time.Tick(time.Second) {
		fmt.Println(now)
	}
}

func report() {
	for range time.Tick(time.Minute) {
		fmt.Println("still here")
	}
}

func helper() <-chan time.Time {
	return time.Tick(time.Second) // want "time.Tick starts a ticker that can never be stopped: before Go 1.23"
}
