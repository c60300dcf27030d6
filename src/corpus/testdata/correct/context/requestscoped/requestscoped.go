// Package requestscoped is an HTTP handler that fans a request out to two backends with the
// request's own context, so the backend goroutines stop when the client disconnects or the
// handler returns; the handler cancels its derived context with defer.
package requestscoped

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"time"
)

type result struct {
	source string
	body   string
}

// API aggregates two backends.
type API struct {
	fetch func(ctx context.Context, source string) (string, error)
}

func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), time.Second)
	defer cancel()
	sources := []string{"inventory", "pricing"}
	results := make(chan result, len(sources))
	for _, s := range sources {
		go func(s string) {
			body, err := a.fetch(ctx, s)
			if err != nil {
				body = "unavailable"
			}
			results <- result{s, body}
		}(s)
	}
	for range sources {
		select {
		case res := <-results:
			fmt.Fprintf(w, "%s: %s\n", res.source, res.body)
		case <-ctx.Done():
			return
		}
	}
}

func Run() {
	api := &API{fetch: func(ctx context.Context, source string) (string, error) {
		select {
		case <-time.After(time.Millisecond):
			return source + " ok", nil
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}}
	srv := httptest.NewServer(api)
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL)
	if err != nil {
		panic(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Print(string(body))
}
