package fixtures

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os"
)

func readForever(addr string) error {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	go func() {
		buf := make([]byte, 512)
		for {
			n, err := conn.Read(buf) // want "goroutine reads from `conn` with no deadline, and nothing in view closes it"
			if err != nil {
				return
			}
			fmt.Println(buf[:n])
		}
	}()
	_, err = conn.Write([]byte("hello"))
	return err
}

func slurp(ln net.Listener) {
	c, err := ln.Accept()
	if err != nil {
		return
	}
	go func() {
		data, _ := io.ReadAll(c) // want "goroutine reads from `c` with no deadline"
		fmt.Println(len(data))
	}()
}

func lines(addr string) {
	conn, _ := net.Dial("tcp", addr)
	go func() {
		line, _ := bufio.NewReader(conn).ReadString('\n') // want "if the peer goes quiet without closing, the read blocks forever"
		fmt.Println(line)
	}()
}

func copyOut(addr string) {
	conn, _ := net.Dial("tcp", addr)
	go func() {
		_, _ = io.Copy(os.Stdout, conn) // want "reads from `conn` with no deadline"
	}()
}

func pipeNeverClosed(data []byte) {
	pr, pw := io.Pipe()
	go func() {
		got, _ := io.ReadAll(pr) // want "goroutine reads from pipe `pr`, but nothing closes either end"
		fmt.Println(len(got))
	}()
	_, _ = pw.Write(data)
}

// A client that dials its server and reads replies in a goroutine, but never closes the conn
// and sets no deadline.
type Client struct {
	conn    net.Conn
	replies chan string
}

func Dial(addr string) (*Client, error) {
	c := &Client{replies: make(chan string, 16)}
	var err error
	c.conn, err = net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	go c.readLoop()
	return c, nil
}

func (c *Client) readLoop() {
	r := bufio.NewReader(c.conn) // want "goroutine reads `c.conn` with no deadline, and nothing in the package ever closes the `.conn` field of `Client`"
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		c.replies <- line
	}
}

// The same reader, started through a method value kept in a local.
type Tail struct {
	conn  net.Conn
	lines chan string
}

func Follow(addr string) (*Tail, error) {
	t := &Tail{lines: make(chan string, 16)}
	var err error
	t.conn, err = net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	read := t.readLines
	go read()
	return t, nil
}

func (t *Tail) readLines() {
	buf := make([]byte, 4096)
	for {
		n, err := t.conn.Read(buf) // want "goroutine reads `t.conn` with no deadline"
		if err != nil {
			return
		}
		println(string(buf[:n]))
	}
}
