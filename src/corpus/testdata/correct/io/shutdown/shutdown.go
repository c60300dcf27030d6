// Package shutdown is an HTTP service with graceful shutdown: Serve runs in a goroutine whose
// result is collected, handlers use the request's context for their downstream work, and Close
// calls Server.Shutdown with a deadline and waits for Serve to return.
package shutdown

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// Service serves the search API.
type Service struct {
	srv    *http.Server
	served chan error
}

func (s *Service) search(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), time.Second)
	defer cancel()
	select {
	case <-time.After(time.Millisecond): // the backend query
		fmt.Fprint(w, "results for ", r.URL.Query().Get("q"))
	case <-ctx.Done():
		http.Error(w, ctx.Err().Error(), http.StatusGatewayTimeout)
	}
}

func Start(ln net.Listener) *Service {
	s := &Service{served: make(chan error, 1)}
	mux := http.NewServeMux()
	mux.HandleFunc("/search", s.search)
	s.srv = &http.Server{Handler: mux, ReadHeaderTimeout: time.Second}
	go func() { s.served <- s.srv.Serve(ln) }()
	return s
}

// Close stops accepting, waits for the handlers in flight, then for Serve.
func (s *Service) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := s.srv.Shutdown(ctx); err != nil {
		return err
	}
	if err := <-s.served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func Run() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	s := Start(ln)
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Get("http://" + ln.Addr().String() + "/search?q=leaks")
	if err != nil {
		panic(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println(string(body))
	client.CloseIdleConnections()
	fmt.Println(s.Close())
}
