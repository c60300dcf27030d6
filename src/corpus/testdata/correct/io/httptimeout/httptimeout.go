// Package httptimeout is an uptime checker whose http.Client has a Timeout, so a probe of a
// target that never answers fails after the timeout and its goroutine ends; CheckAll waits for
// the probes and Close drops idle connections.
package httptimeout

import (
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"
)

// Checker records the status of HTTP targets.
type Checker struct {
	client *http.Client

	mu     sync.Mutex
	status map[string]int
}

func NewChecker(timeout time.Duration) *Checker {
	return &Checker{client: &http.Client{Timeout: timeout}, status: make(map[string]int)}
}

// CheckAll probes every target and waits for the results.
func (c *Checker) CheckAll(targets []string) {
	var wg sync.WaitGroup
	for _, t := range targets {
		wg.Add(1)
		go func(t string) {
			defer wg.Done()
			c.probe(t)
		}(t)
	}
	wg.Wait()
}

func (c *Checker) probe(url string) {
	resp, err := c.client.Get(url)
	code := 0
	if err == nil {
		code = resp.StatusCode
		resp.Body.Close()
	}
	c.mu.Lock()
	c.status[url] = code
	c.mu.Unlock()
}

func (c *Checker) Close() { c.client.CloseIdleConnections() }

// stalled accepts connections and never answers on them, like an overloaded backend, until its
// listener is closed.
type stalled struct {
	ln    net.Listener
	done  chan struct{}
	conns []net.Conn
}

func listenStalled() *stalled {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	s := &stalled{ln: ln, done: make(chan struct{})}
	go s.accept()
	return s
}

func (s *stalled) accept() {
	defer close(s.done)
	for {
		conn, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.conns = append(s.conns, conn)
	}
}

func (s *stalled) Close() {
	s.ln.Close()
	<-s.done
	for _, c := range s.conns {
		c.Close()
	}
}

func Run() {
	backend := listenStalled()
	c := NewChecker(50 * time.Millisecond)
	c.CheckAll([]string{"http://" + backend.ln.Addr().String() + "/healthz"})
	c.Close()
	backend.Close()
	fmt.Println(c.status)
}
