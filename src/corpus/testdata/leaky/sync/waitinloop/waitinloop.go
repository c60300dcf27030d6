// Package waitinloop is a crawler that starts one fetch per URL and waits for the WaitGroup inside
// the loop instead of after it. The first fetch sends its page on the results channel, whose
// reader only starts after the loop, so the send and the Wait block each other.
package waitinloop

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
		go func(u string) { // leak-go
			defer wg.Done()
			results <- page{url: u, body: c.fetch(u)} // leak: chan send
		}(u)
		wg.Wait() // leak: waitgroup
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
	go func() { // leak-go
		pages := c.Crawl([]string{"/", "/about", "/blog"})
		fmt.Println(len(pages), "pages")
	}()
}
