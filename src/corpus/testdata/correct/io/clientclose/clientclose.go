// Package clientclose is a client for a line-based push protocol. Close closes the connection,
// which makes the read loop's blocked Read return an error, and waits for the loop.
package clientclose

import (
	"bufio"
	"fmt"
	"net"
	"strings"
	"sync"
)

// Client receives pushed lines from a server.
type Client struct {
	conn net.Conn
	done chan struct{}

	mu    sync.Mutex
	lines []string
}

func Dial(addr string) (*Client, error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	c := &Client{conn: conn, done: make(chan struct{})}
	go c.readLoop()
	return c, nil
}

func (c *Client) readLoop() {
	defer close(c.done)
	r := bufio.NewReader(c.conn)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		c.mu.Lock()
		c.lines = append(c.lines, strings.TrimSpace(line))
		c.mu.Unlock()
	}
}

func (c *Client) Subscribe(topic string) error {
	_, err := fmt.Fprintf(c.conn, "SUB %s\n", topic)
	return err
}

// Close disconnects and waits for the read loop.
func (c *Client) Close() error {
	err := c.conn.Close()
	<-c.done
	return err
}

var remote net.Conn // the server's side, kept open like a real remote service

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
	fmt.Println(c.Subscribe("prices"))
	fmt.Println(c.Close())
}
