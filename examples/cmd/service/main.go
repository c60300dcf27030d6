// Command service is a small HTTP service for goroscope check's load check. With -leaky, every
// /search request leaves a goroutine behind: the handler gives up waiting after a short timeout,
// and the backend goroutine then blocks forever sending on an unbuffered channel.
//
//	go run ./cmd/service -addr 127.0.0.1:6060 [-leaky]
//	goroscope check --service http://127.0.0.1:6060/debug/pprof/goroutine --load "..."
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:6060", "listen address (loopback)")
	leaky := flag.Bool("leaky", false, "leak a goroutine per /search request")
	flag.Parse()

	http.HandleFunc("/search", func(w http.ResponseWriter, r *http.Request) {
		// The backend answers after 50ms; the handler waits at most 10ms.
		results := make(chan string, 1)
		if *leaky {
			results = make(chan string) // unbuffered: the late send blocks forever
		}
		go func() { results <- backend(r.URL.Query().Get("q")) }()
		select {
		case res := <-results:
			fmt.Fprintln(w, res)
		case <-time.After(10 * time.Millisecond):
			http.Error(w, "timeout", http.StatusGatewayTimeout)
		}
	})

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	srv := &http.Server{ReadHeaderTimeout: 5 * time.Second}
	fmt.Printf("listening on %s\n", ln.Addr())

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}

func backend(q string) string {
	time.Sleep(50 * time.Millisecond)
	return "results for " + q
}
