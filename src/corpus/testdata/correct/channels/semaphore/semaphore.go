// Package semaphore limits concurrent downloads with a buffered channel used as a counting
// semaphore: a slot is taken before each goroutine starts and given back with defer, and the
// WaitGroup waits for all of them.
package semaphore

import (
	"fmt"
	"sync"
	"time"
)

const maxParallel = 3

// Downloader fetches files with bounded parallelism.
type Downloader struct {
	sem   chan struct{}
	fetch func(url string) int

	mu    sync.Mutex
	bytes int
}

func NewDownloader(fetch func(string) int) *Downloader {
	return &Downloader{sem: make(chan struct{}, maxParallel), fetch: fetch}
}

// All downloads every URL, at most maxParallel at a time.
func (d *Downloader) All(urls []string) int {
	var wg sync.WaitGroup
	for _, u := range urls {
		d.sem <- struct{}{}
		wg.Add(1)
		go func(u string) {
			defer func() { <-d.sem }()
			defer wg.Done()
			n := d.fetch(u)
			d.mu.Lock()
			d.bytes += n
			d.mu.Unlock()
		}(u)
	}
	wg.Wait()
	return d.bytes
}

func Run() {
	d := NewDownloader(func(u string) int { time.Sleep(time.Millisecond); return len(u) })
	var urls []string
	for i := 0; i < 10; i++ {
		urls = append(urls, fmt.Sprintf("https://cdn.example/%d.bin", i))
	}
	fmt.Println(d.All(urls), "bytes")
}
