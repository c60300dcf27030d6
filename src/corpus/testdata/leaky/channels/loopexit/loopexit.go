// Package loopexit is a batching log writer: callers hand records to a flush loop over an
// unbuffered channel. When a write fails the loop records the error and returns, and every later
// Write blocks on the send because nothing receives any more (Write does not watch the quit
// channel that Close uses to end the loop).
package loopexit

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
	quit    chan struct{}
	done    chan struct{}

	mu  sync.Mutex
	err error
}

func NewWriter(s sink) *Writer {
	w := &Writer{records: make(chan string), sink: s, quit: make(chan struct{}), done: make(chan struct{})}
	go w.flushLoop()
	return w
}

func (w *Writer) flushLoop() {
	defer close(w.done)
	for {
		select {
		case rec := <-w.records:
			if err := w.sink.write([]string{rec}); err != nil {
				w.mu.Lock()
				w.err = err
				w.mu.Unlock()
				return
			}
		case <-w.quit:
			return
		}
	}
}

// Write queues one record.
func (w *Writer) Write(rec string) {
	w.records <- rec // leak: chan send
}

// Close ends the flush loop and waits for it.
func (w *Writer) Close() {
	close(w.quit)
	<-w.done
}

func (w *Writer) Err() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

func Run() {
	w := NewWriter(fullDisk{})
	w.Write("first") // the flush loop takes it, fails and exits
	for i := 0; i < 3; i++ {
		go w.Write(fmt.Sprintf("request %d", i)) // leak-go
	}
	fmt.Println(w.Err())
	w.Close()
}
