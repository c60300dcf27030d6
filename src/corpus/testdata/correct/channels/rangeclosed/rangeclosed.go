// Package rangeclosed aggregates metric samples fed through a channel passed to the aggregator.
// The collector closes the channel when it is done and the caller waits for the aggregator with
// Wait, so the range ends.
package rangeclosed

import (
	"fmt"
	"sync"
)

type sample struct {
	name  string
	value float64
}

// Aggregator keeps running sums per metric.
type Aggregator struct {
	mu   sync.Mutex
	sums map[string]float64
	wg   sync.WaitGroup
}

func NewAggregator() *Aggregator {
	return &Aggregator{sums: make(map[string]float64)}
}

func (a *Aggregator) consume(in <-chan sample) {
	defer a.wg.Done()
	for s := range in {
		a.mu.Lock()
		a.sums[s.name] += s.value
		a.mu.Unlock()
	}
}

// Start aggregates in in the background until in is closed.
func (a *Aggregator) Start(in <-chan sample) {
	a.wg.Add(1)
	go a.consume(in)
}

// Wait returns when the input has been consumed.
func (a *Aggregator) Wait() { a.wg.Wait() }

func (a *Aggregator) Sum(name string) float64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.sums[name]
}

func collect(out chan<- sample, n int) {
	defer close(out)
	for i := 0; i < n; i++ {
		out <- sample{name: "requests", value: 1}
	}
}

func Run() {
	samples := make(chan sample)
	agg := NewAggregator()
	agg.Start(samples)
	collect(samples, 10)
	agg.Wait()
	fmt.Println(agg.Sum("requests"))
}
