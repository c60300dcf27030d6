// Package httpnotimeout is an uptime checker that probes each target from its own goroutine with
// an http.Client that has no timeout. A target that accepts the connection and never answers
// keeps its probe goroutine blocked forever.
package httpnotimeout

import (
	"fmt"
	"net"
	"net/http"
	"sync"
)

// Checker records the status of HTTP targets.
type Checker struct {
	client *http.Client

	mu     sync.Mutex
	status map[string]int
}

func NewChecker() *Checker {
	return &Checker{client: &http.Client{}, status: make(map[string]int)}
}

// CheckAll probes every target in the background.
func (c *Checker) CheckAll(targets []string) {
	for _, t := range targets {
		go c.probe(t) // leak-go
	}
}

func (c *Checker) probe(url string) {
	resp, err := c.client.Get(url) // leak: select
	code := 0
	if err == nil {
		code = resp.StatusCode
		resp.Body.Close()
	}
	c.mu.Lock()
	c.status[url] = code
	c.mu.Unlock()
}

// stalled accepts one connection and never answers on it, like an overloaded backend.
func stalled() (addr string, accepted <-chan net.Conn) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	conns := make(chan net.Conn, 1)
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			panic(err)
		}
		conns <- conn
	}()
	return ln.Addr().String(), conns
}

// backend is the stalled server's side of the connection; it outlives Run like a real backend.
var backend net.Conn

func Run() {
	addr, accepted := stalled()
	c := NewChecker()
	c.CheckAll([]string{"http://" + addr + "/healthz"})
	backend = <-accepted
	fmt.Println("probes running")
}
