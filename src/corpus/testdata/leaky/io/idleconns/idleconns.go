// Package idleconns is a line-protocol server. Close closes the listener, which ends the accept
// loop, but not the open client connections: their handlers stay blocked reading from clients
// that keep the connection idle.
package idleconns

import (
	"bufio"
	"fmt"
	"net"
	"strings"
	"sync"
)

// Server answers PING with PONG.
type Server struct {
	ln net.Listener
	wg sync.WaitGroup
}

func Listen(addr string) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	s := &Server{ln: ln}
	s.wg.Add(1)
	go s.acceptLoop()
	return s, nil
}

func (s *Server) acceptLoop() {
	defer s.wg.Done()
	for {
		conn, err := s.ln.Accept()
		if err != nil {
			return
		}
		go s.handle(conn) // leak-go
	}
}

func (s *Server) handle(conn net.Conn) {
	defer conn.Close()
	r := bufio.NewReader(conn)
	for {
		line, err := r.ReadString('\n') // leak: IO wait
		if err != nil {
			return
		}
		if strings.TrimSpace(line) == "PING" {
			fmt.Fprint(conn, "PONG\n")
		}
	}
}

// Close stops accepting connections.
func (s *Server) Close() error {
	err := s.ln.Close() // leak-site: open connections are not closed
	s.wg.Wait()
	return err
}

// clients are other processes' pooled connections: they stay open after Run.
var clients []net.Conn

func Run() {
	s, err := Listen("127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	for i := 0; i < 2; i++ {
		conn, err := net.Dial("tcp", s.ln.Addr().String())
		if err != nil {
			panic(err)
		}
		fmt.Fprint(conn, "PING\n")
		reply, _ := bufio.NewReader(conn).ReadString('\n')
		fmt.Print(reply)
		clients = append(clients, conn)
	}
	fmt.Println(s.Close(), len(clients), "clients idle")
}
