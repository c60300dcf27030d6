// Package closewaits is a metrics exporter whose flusher goroutine is counted in a field
// WaitGroup: Add before the go statement, Done deferred in the goroutine, and Close closes the
// quit channel and waits.
package closewaits

import (
	"fmt"
	"sync"
	"time"
)

// Exporter batches metric points and flushes them periodically.
type Exporter struct {
	mu     sync.Mutex
	points []float64
	sent   int

	quit chan struct{}
	wg   sync.WaitGroup
}

func NewExporter(every time.Duration) *Exporter {
	e := &Exporter{quit: make(chan struct{})}
	e.wg.Add(1)
	go e.flusher(every)
	return e
}

func (e *Exporter) flusher(every time.Duration) {
	defer e.wg.Done()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			e.flush()
		case <-e.quit:
			e.flush()
			return
		}
	}
}

func (e *Exporter) flush() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.sent += len(e.points)
	e.points = e.points[:0]
}

func (e *Exporter) Record(v float64) {
	e.mu.Lock()
	e.points = append(e.points, v)
	e.mu.Unlock()
}

// Close flushes what is left and waits for the flusher.
func (e *Exporter) Close() {
	close(e.quit)
	e.wg.Wait()
}

func Run() {
	e := NewExporter(time.Millisecond)
	e.Record(1.5)
	e.Close()
	fmt.Println(e.sent, "points sent")
}
