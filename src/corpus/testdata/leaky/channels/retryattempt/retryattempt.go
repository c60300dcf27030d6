// Package retryattempt retries a flaky RPC with a deadline per attempt. Each attempt runs in its
// own goroutine and reports on an unbuffered channel; an attempt that outlives its deadline is
// abandoned with nobody left to receive its result.
package retryattempt

import (
	"errors"
	"fmt"
	"time"
)

var errDeadline = errors.New("attempt deadline exceeded")

type conn struct {
	hang chan struct{} // attempts hang until the network recovers
}

func (c *conn) call(method string) (string, error) {
	<-c.hang
	return method + ": ok", nil
}

// Client retries calls on a connection.
type Client struct {
	conn     *conn
	attempts int
	perTry   time.Duration
}

type outcome struct {
	resp string
	err  error
}

func (c *Client) attempt(method string) (string, error) {
	ch := make(chan outcome)
	go func() { // leak-go
		resp, err := c.conn.call(method)
		ch <- outcome{resp, err} // leak: chan send
	}()
	timer := time.NewTimer(c.perTry)
	defer timer.Stop()
	select {
	case o := <-ch:
		return o.resp, o.err
	case <-timer.C:
		return "", errDeadline
	}
}

// Call tries the method up to c.attempts times.
func (c *Client) Call(method string) (string, error) {
	var err error
	for i := 0; i < c.attempts; i++ {
		var resp string
		if resp, err = c.attempt(method); err == nil {
			return resp, nil
		}
	}
	return "", fmt.Errorf("%s failed after %d attempts: %w", method, c.attempts, err)
}

func Run() {
	cn := &conn{hang: make(chan struct{})}
	c := &Client{conn: cn, attempts: 3, perTry: 2 * time.Millisecond}
	_, err := c.Call("Status")
	fmt.Println(err)
	close(cn.hang)
}
