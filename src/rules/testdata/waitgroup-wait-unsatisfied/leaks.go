package fixtures

import "sync"

type job struct {
	id    int
	valid bool
}

func handle(j job) {}

// Add(len) before the loop, then a continue that starts no goroutine for that iteration.
func processAll(jobs []job) {
	var wg sync.WaitGroup
	wg.Add(len(jobs))
	for _, j := range jobs {
		if !j.valid {
			continue
		}
		go func(j job) {
			defer wg.Done()
			handle(j)
		}(j)
	}
	wg.Wait() // want "`wg.Wait\\(\\)` blocks forever when the `continue` at line 18 runs"
}

// Add(1) in the loop, but a continue between Add and go.
func processSome(jobs []job) {
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Add(1)
		if !j.valid {
			continue
		}
		go func(j job) {
			defer wg.Done()
			handle(j)
		}(j)
	}
	wg.Wait() // want "`wg.Add\\(1\\)` has already counted a goroutine that is then never started"
}

// A break out of a labeled loop after counting.
func firstN(jobs []job, n int) {
	var wg sync.WaitGroup
	wg.Add(n)
loop:
	for i, j := range jobs {
		switch {
		case i >= n:
			break loop
		}
		go func(j job) {
			defer wg.Done()
			handle(j)
		}(j)
	}
	wg.Wait() // want "when the `break` at line 52 runs"
}

// A constant Add larger than the goroutines started.
func pair(a, b job) {
	var wg sync.WaitGroup
	wg.Add(3)
	go func() {
		defer wg.Done()
		handle(a)
	}()
	go func() {
		defer wg.Done()
		handle(b)
	}()
	wg.Wait() // want "`wg.Add\\(3\\)` expects 3 Done calls, but the goroutines started here call `wg.Done\\(\\)` only 2 times"
}

// The WaitGroup passed by value: Done marks a copy.
func worker(id int, wg sync.WaitGroup) {
	defer wg.Done()
	handle(job{id: id})
}

func startWorkers(n int) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go worker(i, wg)
	}
	wg.Wait() // want "receives `wg` by value"
}

// By value into a literal.
func literalCopy(j job) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func(wg sync.WaitGroup) {
		defer wg.Done()
		handle(j)
	}(wg)
	wg.Wait() // want "receives `wg` by value"
}

// A crawler counts its fetches on a field WaitGroup but no goroutine ever calls Done.
type Crawler struct {
	wg    sync.WaitGroup
	pages chan string
}

func NewCrawler() *Crawler { return &Crawler{pages: make(chan string, 100)} }

func (c *Crawler) Fetch(urls []string) {
	for _, u := range urls {
		c.wg.Add(1)
		go c.fetch(u)
	}
}

func (c *Crawler) fetch(u string) {
	c.pages <- u
}

func (c *Crawler) Close() {
	c.wg.Wait() // want "`c.wg.Wait\\(\\)` blocks forever: `c.wg.Add` counts work, but nothing in the package ever calls `Done\\(\\)`"
	close(c.pages)
}

// The Wait sits inside the loop: each worker blocks on its send, received only after the loop.
func squares(xs []int) []int {
	var wg sync.WaitGroup
	out := make(chan int)
	for _, x := range xs {
		wg.Add(1)
		go func(x int) {
			defer wg.Done()
			out <- x * x
		}(x)
		wg.Wait() // want "`wg.Wait\\(\\)` inside the loop waits for the goroutine started in this iteration"
	}
	var res []int
	for range xs {
		res = append(res, <-out)
	}
	return res
}
