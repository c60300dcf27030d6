package fixtures

import (
	"context"
	"log"
	"net/http"
	"time"
)

// The request's context, with a timeout on top.
func (s *Server) handleOrder(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	if err := s.db.PingContext(ctx); err != nil {
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
	}
}

// Work meant to outlive the request: a goroutine with its own background context.
func handleSignup(w http.ResponseWriter, r *http.Request) {
	email := r.FormValue("email")
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		sendWelcome(ctx, email)
	}()
	w.WriteHeader(http.StatusAccepted)
}

// The same, with the detached context built first and handed to the goroutine.
func handleExport(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	go func() {
		defer cancel()
		sendWelcome(ctx, "export done")
	}()
	w.WriteHeader(http.StatusAccepted)
}

// Passed straight to the go statement.
func handleAudit(w http.ResponseWriter, r *http.Request) {
	go sendWelcome(context.Background(), r.RemoteAddr)
}

// Deferred cleanup that must run even when the client is gone.
func handleLock(w http.ResponseWriter, r *http.Request) {
	defer release(context.Background(), "lock")
	defer func() {
		release(context.Background(), "other lock")
	}()
	w.WriteHeader(http.StatusOK)
}

// A callback handed elsewhere may run after the request: not judged.
func handleLater(w http.ResponseWriter, r *http.Request) {
	time.AfterFunc(time.Minute, func() {
		sendWelcome(context.Background(), "later")
	})
}

// Not a handler: no request at hand.
func StartBackground() {
	sendWelcome(context.Background(), "boot")
}

// Only a ResponseWriter, no request: not a handler.
func writeStatus(w http.ResponseWriter) {
	release(context.Background(), "status")
	w.WriteHeader(http.StatusOK)
}

// A local named context is not the context package.
func handleShadow(w http.ResponseWriter, r *http.Request) {
	context := struct{ Background func() int }{Background: func() int { return 1 }}
	log.Println(context.Background())
}

// Synchronous work detached on purpose, with the reason spelled out above it.
func handlePayment(w http.ResponseWriter, r *http.Request) {
	// The charge must complete even if the client cancels the request part way through,
	// so the request context is not the base of this timeout.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	sendWelcome(ctx, "charged")
}

func sendWelcome(ctx context.Context, to string) { log.Println(to, ctx.Err()) }

func release(ctx context.Context, name string) { log.Println(name, ctx.Err()) }

// The handler watches the client itself and cancels its background context on disconnect.
func (s *Server) handleStream(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-r.Context().Done()
		cancel()
	}()
	s.stream(ctx, w)
}

// The same with the older CloseNotifier.
func (s *Server) handleLegacyStream(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	notify := w.(http.CloseNotifier).CloseNotify()
	go func() {
		<-notify
		cancel()
	}()
	s.stream(ctx, w)
}

func (s *Server) stream(ctx context.Context, w http.ResponseWriter) {
	<-ctx.Done()
}
