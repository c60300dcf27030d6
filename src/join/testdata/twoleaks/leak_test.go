package main

import (
	"testing"
	"time"
)

// TestFetch leaks the sender that scan finds (goroscope check's test item reports it).
func TestFetch(t *testing.T) {
	release := make(chan struct{})
	if _, err := fetch(time.Millisecond, release); err == nil {
		t.Fatal("fetch did not time out")
	}
	close(release)
}

// TestSubscribe leaks the reader that scan misses.
func TestSubscribe(t *testing.T) {
	subscribe("orders")
}
