// Fixtures for `goroscope explain`: each marked line blocks, and the test checks the identity,
// the partner operations and the goroutines the explanation gives for it.
package explainfixture

import (
	"errors"
	"sync"
)

// Pipeline hands results from workers to a collector that may give up on the first error.
type Pipeline struct {
	results chan int
	mu      sync.Mutex
	wg      sync.WaitGroup
	total   int
}

func NewPipeline() *Pipeline {
	return &Pipeline{results: make(chan int)}
}

func (p *Pipeline) Start(n int) {
	for i := 0; i < n; i++ {
		p.wg.Add(1)
		go p.work(i)
	}
}

func (p *Pipeline) work(i int) {
	defer p.wg.Done()
	p.results <- i * i // explain: send
}

// Collect returns on the first odd value: the other workers stay blocked sending.
func (p *Pipeline) Collect() error {
	for v := range p.results {
		if v%2 == 1 {
			return errors.New("odd")
		}
	}
	return nil
}

// Wait blocks until every worker has sent.
func (p *Pipeline) Wait() {
	p.wg.Wait() // explain: wait
}

// Add takes the lock; Bump forgets to release it on one path.
func (p *Pipeline) Add(v int) {
	p.mu.Lock() // explain: lock
	p.total += v
	p.mu.Unlock()
}

func (p *Pipeline) Bump(v int) error {
	p.mu.Lock()
	if v < 0 {
		return errors.New("negative")
	}
	p.total += v
	p.mu.Unlock()
	return nil
}

// Listen starts a goroutine that receives replies; only the handler kept in a map sends.
func Listen(handlers map[string]func()) {
	replies := make(chan string)
	handlers["reply"] = func() { replies <- "ok" }
	go func() {
		msg := <-replies // explain: recv
		_ = msg
	}()
}
