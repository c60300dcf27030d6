// Package timeout is a cache client that gives up on a slow backend after a deadline. The result
// channel has a buffer of one, so the backend's late answer is left in the buffer and the
// goroutine ends.
package timeout

import (
	"errors"
	"fmt"
	"time"
)

var ErrTimeout = errors.New("cache: timed out")

type backend struct {
	unblock chan struct{}
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
	result := make(chan string, 1)
	go func() {
		result <- c.backend.get(key)
	}()
	timer := time.NewTimer(c.timeout)
	defer timer.Stop()
	select {
	case v := <-result:
		return v, nil
	case <-timer.C:
		return "", ErrTimeout
	}
}

func Run() {
	b := &backend{unblock: make(chan struct{})}
	c := NewClient(b, 5*time.Millisecond)
	_, err := c.Get("session:42")
	fmt.Println(err)
	close(b.unblock)
}
