// Package backoffretry reconnects to a broker with exponential backoff. The wait between attempts
// is a select on time.After and the client's stop channel: the timer simply expires, and Close
// ends the loop at once.
package backoffretry

import (
	"errors"
	"fmt"
	"time"
)

var errRefused = errors.New("connection refused")

// Client keeps a connection to a broker alive.
type Client struct {
	dial func() error
	stop chan struct{}
	done chan struct{}
}

func NewClient(dial func() error) *Client {
	c := &Client{dial: dial, stop: make(chan struct{}), done: make(chan struct{})}
	go c.connectLoop()
	return c
}

func (c *Client) connectLoop() {
	defer close(c.done)
	backoff := time.Millisecond
	for {
		if err := c.dial(); err == nil {
			return
		}
		select {
		case <-time.After(backoff):
		case <-c.stop:
			return
		}
		if backoff < time.Second {
			backoff *= 2
		}
	}
}

// Close stops reconnecting.
func (c *Client) Close() {
	close(c.stop)
	<-c.done
}

func Run() {
	attempts := 0
	c := NewClient(func() error { attempts++; return errRefused })
	time.Sleep(20 * time.Millisecond)
	c.Close()
	fmt.Println("gave up after", attempts > 0)
}
