// Package rangeparam aggregates metric samples that a collector feeds through a channel passed
// to the aggregator's consume method. The collector returns without closing the channel, so the
// aggregator's range never ends.
package rangeparam

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
}

func NewAggregator() *Aggregator {
	return &Aggregator{sums: make(map[string]float64)}
}

func (a *Aggregator) consume(in <-chan sample) {
	for s := range in { // leak: chan receive
		a.mu.Lock()
		a.sums[s.name] += s.value
		a.mu.Unlock()
	}
}

// Start runs the aggregation of in in the background.
func (a *Aggregator) Start(in <-chan sample) {
	go a.consume(in) // leak-go
}

func (a *Aggregator) Sum(name string) float64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.sums[name]
}

func collect(out chan<- sample, n int) {
	for i := 0; i < n; i++ {
		out <- sample{name: "requests", value: 1}
	}
}

func Run() {
	samples := make(chan sample)
	agg := NewAggregator()
	agg.Start(samples)
	collect(samples, 10)
	fmt.Println("collected")
}
