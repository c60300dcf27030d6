// Package workerpool resizes images with a fixed pool of workers: the producer closes the jobs
// channel, each worker ranges over it and marks Done, and a closer goroutine closes the results
// channel after Wait so the collector's range ends.
package workerpool

import (
	"fmt"
	"sync"
)

type job struct {
	name string
	w, h int
}

type result struct {
	name string
	w, h int
}

const workers = 4

// Pool resizes images to a maximum width.
type Pool struct {
	maxWidth int
}

func (p *Pool) resize(j job) result {
	if j.w <= p.maxWidth {
		return result{j.name, j.w, j.h}
	}
	return result{j.name, p.maxWidth, j.h * p.maxWidth / j.w}
}

// Process resizes every job and returns the results in completion order.
func (p *Pool) Process(in []job) []result {
	jobs := make(chan job)
	results := make(chan result)
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				results <- p.resize(j)
			}
		}()
	}
	go func() {
		defer close(jobs)
		for _, j := range in {
			jobs <- j
		}
	}()
	go func() {
		wg.Wait()
		close(results)
	}()
	var out []result
	for r := range results {
		out = append(out, r)
	}
	return out
}

func Run() {
	p := &Pool{maxWidth: 640}
	var in []job
	for i := 0; i < 20; i++ {
		in = append(in, job{fmt.Sprintf("img-%d.png", i), 1280, 720})
	}
	fmt.Println(len(p.Process(in)), "resized")
}
