package fixtures

import "sync"

func process(i int) int { return i * i }

// Add inside the goroutine: Wait may see a zero counter and return at once.
func squares(n int) []int {
	out := make([]int, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		go func(i int) {
			wg.Add(1) // want "`wg.Add` runs inside the goroutine it counts"
			defer wg.Done()
			out[i] = process(i)
		}(i)
	}
	wg.Wait()
	return out
}

// The same through a pointer parameter of the literal.
func viaParam(items []int) {
	wg := &sync.WaitGroup{}
	for _, it := range items {
		go func(wg *sync.WaitGroup, it int) {
			wg.Add(1) // want "`wg.Add` runs inside the goroutine it counts"
			process(it)
			wg.Done()
		}(wg, it)
	}
	wg.Wait()
}

// A named worker that adds itself.
func selfCounting(wg *sync.WaitGroup, i int) {
	wg.Add(1) // want "`wg.Add` runs inside the goroutine it counts"
	defer wg.Done()
	process(i)
}

func runSelfCounting() {
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		go selfCounting(&wg, i)
	}
	wg.Wait()
}

// A struct field WaitGroup.
type crawler struct {
	wg   sync.WaitGroup
	seen map[string]bool
}

func (c *crawler) crawl(urls []string) {
	for _, u := range urls {
		go func(u string) {
			c.wg.Add(1) // want "`c.wg.Add` runs inside the goroutine it counts"
			defer c.wg.Done()
			_ = u
		}(u)
	}
	c.wg.Wait()
}
