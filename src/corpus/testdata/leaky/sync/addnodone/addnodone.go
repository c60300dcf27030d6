// Package addnodone is a metrics exporter whose flusher goroutine is counted in a WaitGroup but
// never calls Done. Close waits for it, so shutdown hangs even though the flusher has exited.
package addnodone

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
	e.wg.Add(1) // leak-site: no Done for this Add
	go e.flusher(every)
	return e
}

func (e *Exporter) flusher(every time.Duration) {
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
	e.wg.Wait() // leak: waitgroup
}

func Run() {
	e := NewExporter(time.Millisecond)
	e.Record(1.5)
	// Shut down with a deadline, as main does on SIGTERM.
	closed := make(chan struct{})
	go func() { // leak-go
		e.Close()
		close(closed)
	}()
	select {
	case <-closed:
		fmt.Println("exporter closed")
	case <-time.After(50 * time.Millisecond):
		fmt.Println("exporter did not close in time")
	}
}
