// Package optionalchan is a server with optional debug logging. The debug channel is made only
// when the verbose option is set, and the goroutine that drains it is started under the same
// condition; Close closes the channel and waits for the drain.
package optionalchan

import (
	"fmt"
	"log"
	"os"
)

type Options struct {
	Addr    string
	Verbose bool
}

// Server is a small request server with optional debug logging.
type Server struct {
	opts    Options
	debug   chan string
	drained chan struct{}
	logger  *log.Logger
}

func NewServer(opts Options) *Server {
	s := &Server{opts: opts, logger: log.New(os.Stderr, "server ", 0)}
	if opts.Verbose {
		s.debug = make(chan string, 64)
		s.drained = make(chan struct{})
		go s.debugLoop()
	}
	return s
}

func (s *Server) debugLoop() {
	defer close(s.drained)
	for msg := range s.debug {
		s.logger.Println(msg)
	}
}

func (s *Server) handle(path string) string {
	if s.debug != nil {
		s.debug <- "handling " + path
	}
	return "ok " + path
}

func (s *Server) Close() {
	if s.debug != nil {
		close(s.debug)
		<-s.drained
	}
}

func Run() {
	quiet := NewServer(Options{Addr: ":8080"})
	fmt.Println(quiet.handle("/healthz"))
	quiet.Close()
	verbose := NewServer(Options{Addr: ":8081", Verbose: true})
	fmt.Println(verbose.handle("/metrics"))
	verbose.Close()
}
