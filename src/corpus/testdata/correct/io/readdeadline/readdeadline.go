// Package readdeadline is a client whose read loop sets a read deadline before every read and
// checks its stop channel when the deadline passes, so the loop ends soon after Stop even though
// the server keeps the connection open; Stop then closes the connection.
package readdeadline

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"os"
	"time"
)

const pollInterval = 5 * time.Millisecond

// Client receives pushed lines from a server.
type Client struct {
	conn  net.Conn
	stop  chan struct{}
	done  chan struct{}
	lines int
}

func Dial(addr string) (*Client, error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	c := &Client{conn: conn, stop: make(chan struct{}), done: make(chan struct{})}
	go c.readLoop()
	return c, nil
}

func (c *Client) readLoop() {
	defer close(c.done)
	r := bufio.NewReader(c.conn)
	for {
		select {
		case <-c.stop:
			return
		default:
		}
		c.conn.SetReadDeadline(time.Now().Add(pollInterval))
		_, err := r.ReadString('\n')
		if errors.Is(err, os.ErrDeadlineExceeded) {
			continue
		}
		if err != nil {
			return
		}
		c.lines++
	}
}

// Stop ends the read loop, then closes the connection.
func (c *Client) Stop() error {
	close(c.stop)
	<-c.done
	return c.conn.Close()
}

var remote net.Conn

func Run() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			panic(err)
		}
		accepted <- conn
	}()
	c, err := Dial(ln.Addr().String())
	if err != nil {
		panic(err)
	}
	remote = <-accepted
	fmt.Fprint(remote, "hello\n")
	time.Sleep(20 * time.Millisecond)
	fmt.Println(c.Stop(), c.lines)
}
