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
