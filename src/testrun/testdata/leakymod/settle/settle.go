// Package settle starts goroutines that end a while after the call returns, or never.
package settle

import "time"

// Flush hands the work to a goroutine that finishes after d.
func Flush(d time.Duration) {
	go func() {
		time.Sleep(d)
	}()
}

// Watch starts a goroutine that waits for a value nothing ever sends.
func Watch() {
	never := make(chan struct{})
	go func() {
		<-never
	}()
}
