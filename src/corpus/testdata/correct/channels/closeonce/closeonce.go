// Package closeonce is a config watcher whose Close may be called by several owners (signal
// handler, deferred cleanup). The stop channel is closed under sync.Once and Close waits for the
// loop to return.
package closeonce

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
	events    chan event
	stop      chan struct{}
	closeOnce sync.Once
	done      chan struct{}

	mu      sync.Mutex
	reloads int
}

func NewWatcher() *Watcher {
	w := &Watcher{events: make(chan event, 8), stop: make(chan struct{}), done: make(chan struct{})}
	go w.run()
	return w
}

func (w *Watcher) run() {
	defer close(w.done)
	for {
		select {
		case ev := <-w.events:
			w.reload(ev)
		case <-w.stop:
			return
		}
	}
}

func (w *Watcher) reload(event) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.reloads++
}

func (w *Watcher) Notify(path string) {
	select {
	case w.events <- event{path: path, op: "write"}:
	case <-w.stop:
	}
}

// Close stops watching; calling it again is harmless.
func (w *Watcher) Close() error {
	w.closeOnce.Do(func() { close(w.stop) })
	<-w.done
	return nil
}

func Run() {
	w := NewWatcher()
	defer w.Close()
	w.Notify("/etc/app/config.yaml")
	fmt.Println(w.Close())
}
