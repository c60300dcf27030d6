// Package nilfield is a server whose debug log channel is made only when the verbose option is
// set, while the goroutine that drains it is started unconditionally. Without the option it
// ranges over a nil channel and blocks forever.
package nilfield

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
	opts   Options
	debug  chan string
	logger *log.Logger
}

func NewServer(opts Options) *Server {
	s := &Server{opts: opts, logger: log.New(os.Stderr, "server ", 0)}
	if opts.Verbose {
		s.debug = make(chan string, 64)
	}
	go s.debugLoop() // leak-go
	return s
}

func (s *Server) debugLoop() {
	for msg := range s.debug { // leak: nil chan
		s.logger.Println(msg)
	}
}

func (s *Server) handle(path string) string {
	if s.opts.Verbose {
		s.debug <- "handling " + path
	}
	return "ok " + path
}

// Close ends the debug log.
func (s *Server) Close() {
	if s.debug != nil {
		close(s.debug)
	}
}

func Run() {
	s := NewServer(Options{Addr: ":8080"})
	fmt.Println(s.handle("/healthz"))
	s.Close()
}
