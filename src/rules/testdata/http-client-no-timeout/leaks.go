package fixtures

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
)

func fetchAll(urls []string) {
	for _, u := range urls {
		go func(u string) {
			resp, err := http.Get(u) // want "`http.Get` in a goroutine uses http.DefaultClient with no timeout"
			if err != nil {
				return
			}
			resp.Body.Close()
		}(u)
	}
}

func postForm(target string) {
	go func() {
		_, _ = http.PostForm(target, url.Values{}) // want "`http.PostForm` in a goroutine uses http.DefaultClient"
	}()
}

func withDefaultClient(target string) {
	go func() {
		req, _ := http.NewRequest("GET", target, nil)
		resp, err := http.DefaultClient.Do(req) // want "`http.DefaultClient.Do` in a goroutine uses http.DefaultClient with no timeout: if the server accepts the connection but never answers"
		if err == nil {
			resp.Body.Close()
		}
	}()
}

func zeroClient(target string) {
	go func() {
		client := &http.Client{}
		ctx := context.Background()
		req, _ := http.NewRequestWithContext(ctx, "GET", target, nil)
		resp, err := client.Do(req) // want "`client.Do` in a goroutine uses `client`, an http.Client with no timeout"
		if err == nil {
			resp.Body.Close()
		}
	}()
}

type poller struct{ target string }

func (p *poller) start() {
	go p.poll()
}

func (p *poller) poll() {
	resp, err := http.Head(p.target) // want "`http.Head` in a goroutine"
	if err == nil {
		fmt.Println(resp.Status)
	}
}
