// Package waitafterloop is a crawler that starts one fetch per URL, closes the results channel
// from a goroutine after Wait, and collects while the fetches run.
package waitafterloop

import (
	"fmt"
	"sync"
)

type page struct {
	url  string
	body string
}

// Crawler fetches pages.
type Crawler struct {
	fetch func(url string) string
}

// Crawl fetches every URL and returns the pages.
func (c *Crawler) Crawl(urls []string) []page {
	results := make(chan page)
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Add(1)
		go func(u string) {
			defer wg.Done()
			results <- page{url: u, body: c.fetch(u)}
		}(u)
	}
	go func() {
		wg.Wait()
		close(results)
	}()
	var pages []page
	for p := range results {
		pages = append(pages, p)
	}
	return pages
}

func Run() {
	c := &Crawler{fetch: func(u string) string { return "<html>" + u + "</html>" }}
	fmt.Println(len(c.Crawl([]string{"/", "/about", "/blog"})), "pages")
}
