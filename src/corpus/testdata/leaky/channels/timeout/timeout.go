// Package timeout is a cache client that gives up on a slow backend after a deadline. The
// backend's answer is sent on an unbuffered channel; after a timeout nobody receives it, so every
// timed-out call leaves its goroutine blocked on the send.
package timeout

import (
	"errors"
	"fmt"
	"time"
)

var ErrTimeout = errors.New("cache: timed out")

type backend struct {
	unblock chan struct{} // a slow network: answers only once unblocked
}

func (b *backend) get(key string) string {
	<-b.unblock
	return "value-of-" + key
}

// Client reads keys from a backend with a per-call timeout.
type Client struct {
	backend *backend
	timeout time.Duration
}

func NewClient(b *backend, timeout time.Duration) *Client {
	return &Client{backend: b, timeout: timeout}
}

func (c *Client) Get(key string) (string, error) {
	result := make(chan string)
	go func() { // leak-go
		result <- c.backend.get(key) // leak: chan send
	}()
	select {
	case v := <-result:
		return v, nil
	case <-time.After(c.timeout):
		return "", ErrTimeout
	}
}

func Run() {
	b := &backend{unblock: make(chan struct{})}
	c := NewClient(b, 5*time.Millisecond)
	_, err := c.Get("session:42")
	fmt.Println(err)
	close(b.unblock) // the backend answers late
}
