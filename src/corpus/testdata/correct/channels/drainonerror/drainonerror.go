// Package drainonerror is a batching log writer whose flush loop keeps receiving after a write
// error: it records the error and discards the rest, so Write never blocks; Close closes the
// records channel and waits for the loop.
package drainonerror

import (
	"errors"
	"fmt"
	"sync"
)

var errDiskFull = errors.New("write: no space left on device")

type sink interface {
	write(batch []string) error
}

type fullDisk struct{}

func (fullDisk) write([]string) error { return errDiskFull }

// Writer forwards records to a sink from a single goroutine.
type Writer struct {
	records chan string
	sink    sink
	done    chan struct{}

	mu      sync.Mutex
	err     error
	dropped int
}

func NewWriter(s sink) *Writer {
	w := &Writer{records: make(chan string), sink: s, done: make(chan struct{})}
	go w.flushLoop()
	return w
}

func (w *Writer) flushLoop() {
	defer close(w.done)
	for rec := range w.records {
		w.mu.Lock()
		failed := w.err != nil
		w.mu.Unlock()
		if failed {
			w.mu.Lock()
			w.dropped++
			w.mu.Unlock()
			continue // keep draining so writers never block
		}
		if err := w.sink.write([]string{rec}); err != nil {
			w.mu.Lock()
			w.err = err
			w.mu.Unlock()
		}
	}
}

func (w *Writer) Write(rec string) { w.records <- rec }

// Close ends the flush loop and returns the first write error.
func (w *Writer) Close() error {
	close(w.records)
	<-w.done
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

func Run() {
	w := NewWriter(fullDisk{})
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			w.Write(fmt.Sprintf("request %d", i))
		}(i)
	}
	wg.Wait()
	fmt.Println(w.Close())
}
