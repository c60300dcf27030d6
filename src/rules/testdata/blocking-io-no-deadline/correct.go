package fixtures

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

func deferredClose(addr string) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return
	}
	go func() {
		defer conn.Close()
		buf := make([]byte, 512)
		_, _ = conn.Read(buf)
	}()
}

func withDeadline(addr string) {
	conn, _ := net.Dial("tcp", addr)
	go func() {
		_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		line, _ := bufio.NewReader(conn).ReadString('\n')
		fmt.Println(line)
	}()
}

func closedOnCancel(ctx context.Context, addr string) {
	conn, _ := net.Dial("tcp", addr)
	go func() {
		<-ctx.Done()
		conn.Close()
	}()
	go func() {
		_, _ = io.ReadAll(conn)
	}()
}

func pipeWriterCloses(data []byte) {
	pr, pw := io.Pipe()
	go func() {
		defer pw.Close()
		_, _ = pw.Write(data)
	}()
	got, _ := io.ReadAll(pr)
	go func() {
		_, _ = io.ReadAll(pr)
	}()
	fmt.Println(len(got))
}

// Handed to a handler, which owns it and may close it.
func handedOn(ln net.Listener) {
	conn, _ := ln.Accept()
	go func() {
		_, _ = io.ReadAll(conn)
	}()
	handle(conn)
}

func handle(c net.Conn) { c.Close() }

// A conn from the caller may be closed by the caller.
func fromParam(c net.Conn) {
	go func() {
		_, _ = io.ReadAll(c)
	}()
}

func serve(srv *http.Server) error {
	go func() { _ = srv.ListenAndServe() }()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	return srv.Shutdown(ctx)
}

// The client closes its conn in Close, which unblocks the reader.
type Session struct {
	conn  net.Conn
	lines chan string
}

func OpenSession(addr string) (*Session, error) {
	s := &Session{lines: make(chan string, 16)}
	var err error
	s.conn, err = net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	go s.readLoop()
	return s, nil
}

func (s *Session) readLoop() {
	r := bufio.NewReader(s.conn)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		s.lines <- line
	}
}

func (s *Session) Close() error { return s.conn.Close() }

// A conn the caller hands in: its owner closes it.
type Peer struct{ conn net.Conn }

func NewPeer(conn net.Conn) *Peer {
	p := &Peer{conn: conn}
	go p.read()
	return p
}

func (p *Peer) read() {
	buf := make([]byte, 512)
	for {
		if _, err := p.conn.Read(buf); err != nil {
			return
		}
	}
}

// In-process pipe whose peer end is always closed by the writer goroutine.
func pipeThrough(data []byte) []byte {
	client, server := net.Pipe()
	go func() {
		defer server.Close()
		server.Write(data)
	}()
	out, _ := io.ReadAll(client)
	return out
}

// A test server reads what the same function dials and then closes: the read ends at EOF.
func echoOnce(ln net.Listener, msg string) error {
	c, err := ln.Accept()
	if err != nil {
		return err
	}
	go func() {
		data, _ := io.ReadAll(c)
		fmt.Println(string(data))
	}()
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		return err
	}
	defer conn.Close()
	_, err = conn.Write([]byte(msg))
	return err
}
