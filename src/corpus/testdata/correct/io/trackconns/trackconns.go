// Package trackconns is a line-protocol server that tracks its open connections. Close closes
// the listener and every tracked connection, which ends the blocked reads, and waits for the
// accept loop and all handlers.
package trackconns

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

	mu     sync.Mutex
	conns  map[net.Conn]struct{}
	closed bool
}

func Listen(addr string) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	s := &Server{ln: ln, conns: make(map[net.Conn]struct{})}
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
		if !s.track(conn) {
			conn.Close()
			return
		}
		s.wg.Add(1)
		go s.handle(conn)
	}
}

func (s *Server) track(conn net.Conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.conns[conn] = struct{}{}
	return true
}

func (s *Server) handle(conn net.Conn) {
	defer s.wg.Done()
	defer func() {
		s.mu.Lock()
		delete(s.conns, conn)
		s.mu.Unlock()
		conn.Close()
	}()
	r := bufio.NewReader(conn)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		if strings.TrimSpace(line) == "PING" {
			fmt.Fprint(conn, "PONG\n")
		}
	}
}

// Close stops accepting, closes every connection and waits for the handlers.
func (s *Server) Close() error {
	s.mu.Lock()
	s.closed = true
	err := s.ln.Close()
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
	return err
}

var clients []net.Conn // other processes' pooled connections: they stay open

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
	fmt.Println(s.Close(), len(clients), "clients")
}
