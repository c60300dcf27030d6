// Package waitgroup fetches several pages concurrently and waits for all of them.
//
// The leak: each goroutine calls wg.Done() at its end, but returns early on an error without
// reaching it. The counter never gets back to zero, so wg.Wait() blocks the caller forever,
// and with it everything the caller holds (a request handler, a connection).
package waitgroup

import "sync"

// Fetch loads one page.
type Fetch func(url string) ([]byte, error)

// FetchAllLeaky hangs forever as soon as one fetch fails.
func FetchAllLeaky(urls []string, fetch Fetch) [][]byte {
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		pages [][]byte
	)
	for _, url := range urls {
		wg.Add(1)
		go func(url string) {
			page, err := fetch(url)
			if err != nil {
				return // skips wg.Done(): wg.Wait() below never returns
			}
			mu.Lock()
			pages = append(pages, page)
			mu.Unlock()
			wg.Done()
		}(url)
	}
	wg.Wait()
	return pages
}

// FetchAllFixed calls wg.Done() with defer, so every path out of the goroutine counts.
func FetchAllFixed(urls []string, fetch Fetch) [][]byte {
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		pages [][]byte
	)
	for _, url := range urls {
		wg.Add(1)
		go func(url string) {
			defer wg.Done()
			page, err := fetch(url)
			if err != nil {
				return
			}
			mu.Lock()
			pages = append(pages, page)
			mu.Unlock()
		}(url)
	}
	wg.Wait()
	return pages
}
