package fixtures

import (
	"context"
	"database/sql"
	"encoding/json"
	"net/http"
	"time"
)

type Server struct {
	db *sql.DB
}

// The classic: a query with a timeout built on Background keeps running after the client left.
func (s *Server) handleUser(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second) // want "`context.Background\\(\\)` in HTTP handler `Server.handleUser` is never cancelled"
	defer cancel()
	row := s.db.QueryRowContext(ctx, "SELECT name FROM users WHERE id = ?", r.URL.Query().Get("id"))
	var name string
	if err := row.Scan(&name); err != nil {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	_ = json.NewEncoder(w).Encode(name)
}

// A plain function handler with TODO.
func handleSearch(w http.ResponseWriter, req *http.Request) {
	// Search the index for the query string.
	results := search(context.TODO(), req.URL.Query().Get("q")) // want "`context.TODO\\(\\)` in HTTP handler `handleSearch`"
	_ = json.NewEncoder(w).Encode(results)
}

func search(ctx context.Context, q string) []string {
	<-ctx.Done()
	return []string{q}
}

// ServeHTTP is a handler too.
type API struct{ client *http.Client }

func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	out, err := http.NewRequestWithContext(context.Background(), "GET", "http://backend/", nil) // want "handler `API.ServeHTTP`"
	if err != nil {
		return
	}
	resp, err := a.client.Do(out)
	if err == nil {
		resp.Body.Close()
	}
}

// A handler literal registered on a mux: named by its pattern.
func Routes(mux *http.ServeMux, s *Server) {
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		ctx := context.Background() // want "in HTTP handler for \"/slow\""
		_ = s.db.PingContext(ctx)
	})
}

// An unnamed request parameter: still a handler.
func handleHealth(w http.ResponseWriter, _ *http.Request) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second) // want "handler `handleHealth`"
	defer cancel()
	_ = search(ctx, "health")
}

// A closure called on the spot runs inside the request.
func handleRetry(w http.ResponseWriter, r *http.Request) {
	err := func() error {
		return ping(context.Background()) // want "handler `handleRetry`"
	}()
	if err != nil {
		w.WriteHeader(http.StatusServiceUnavailable)
	}
}

func ping(ctx context.Context) error { return ctx.Err() }
