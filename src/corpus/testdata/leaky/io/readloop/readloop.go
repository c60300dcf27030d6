// Package readloop is a client for a line-based push protocol. Dial starts a read loop on the
// connection; the client has no Close and sets no read deadline, so once its user is done the
// loop stays blocked in Read for as long as the server keeps the connection open.
package readloop

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

	mu    sync.Mutex
	lines []string
}

func Dial(addr string) (*Client, error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	c := &Client{conn: conn}
	go c.readLoop() // leak-go
	return c, nil
}

func (c *Client) readLoop() {
	r := bufio.NewReader(c.conn)
	for {
		line, err := r.ReadString('\n') // leak: IO wait
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

// pushServer stands in for the remote service: it accepts one connection and keeps it open.
type pushServer struct {
	ln   net.Listener
	conn net.Conn
}

func listen() (*pushServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	return &pushServer{ln: ln}, nil
}

func (s *pushServer) accept() error {
	conn, err := s.ln.Accept()
	s.conn = conn
	return err
}

// remote is the server's side of the connection; it outlives Run like a real remote service.
var remote *pushServer

func Run() {
	srv, err := listen()
	if err != nil {
		panic(err)
	}
	accepted := make(chan error, 1)
	go func() { accepted <- srv.accept() }()
	c, err := Dial(srv.ln.Addr().String())
	if err != nil {
		panic(err)
	}
	if err := <-accepted; err != nil {
		panic(err)
	}
	remote = srv
	fmt.Println(c.Subscribe("prices"))
}
