package fixtures

import (
	"context"
	"net/http"
	"time"
)

func withTimeout(target string) {
	go func() {
		client := &http.Client{Timeout: 10 * time.Second}
		resp, err := client.Get(target)
		if err == nil {
			resp.Body.Close()
		}
	}()
}

func withDeadline(parent context.Context, target string) {
	go func() {
		ctx, cancel := context.WithTimeout(parent, 5*time.Second)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, "GET", target, nil)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
		}
	}()
}

func callerContext(ctx context.Context, target string) {
	go func() {
		req, _ := http.NewRequestWithContext(ctx, "GET", target, nil)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
		}
	}()
}

// Outside a goroutine the caller waits and can bound the call itself.
func synchronous(target string) error {
	resp, err := http.Get(target)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// A client from elsewhere may well have a Timeout.
func injected(client *http.Client, target string) {
	go func() {
		resp, err := client.Get(target)
		if err == nil {
			resp.Body.Close()
		}
	}()
}

func configuredLater(target string) {
	go func() {
		client := &http.Client{}
		client.Timeout = time.Second
		resp, err := client.Get(target)
		if err == nil {
			resp.Body.Close()
		}
	}()
}

func serve(srv *http.Server) error {
	go func() { _ = srv.ListenAndServe() }()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	return srv.Shutdown(ctx)
}
