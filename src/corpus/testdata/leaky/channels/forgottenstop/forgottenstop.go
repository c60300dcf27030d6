// Package forgottenstop is a config watcher whose loop waits for file events or a stop signal.
// Close marks the watcher closed but never closes the stop channel, and nothing else sends on it,
// so the loop waits in its select forever.
package forgottenstop

import (
	"fmt"
	"sync"
)

type event struct {
	path string
	op   string
}

// Watcher reloads configuration when a watched file changes.
type Watcher struct {
	events chan event
	stop   chan struct{}

	mu      sync.Mutex
	reloads int
	closed  bool
}

func NewWatcher() *Watcher {
	w := &Watcher{events: make(chan event, 8), stop: make(chan struct{})}
	go w.run() // leak-go
	return w
}

func (w *Watcher) run() {
	for {
		select { // leak: select
		case ev := <-w.events:
			w.reload(ev)
		case <-w.stop:
			return
		}
	}
}

func (w *Watcher) reload(ev event) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.reloads++
}

// Notify is called by the file system layer.
func (w *Watcher) Notify(path string) {
	w.events <- event{path: path, op: "write"}
}

// Close stops watching.
func (w *Watcher) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return fmt.Errorf("watcher already closed")
	}
	w.closed = true // leak-site: the stop channel is never closed
	return nil
}

func Run() {
	w := NewWatcher()
	w.Notify("/etc/app/config.yaml")
	if err := w.Close(); err != nil {
		fmt.Println(err)
	}
}
