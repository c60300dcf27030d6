// Package methodvalue is an ingestion service whose background loops are kept as method values
// and started together. Stop sets a flag and closes the quit channel, which ends the compaction
// loop, but the document loop is blocked ranging over a field channel that nothing closes and
// only reads the flag after it receives a document.
package methodvalue

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

type doc struct {
	id   int
	body string
}

// Ingester indexes documents and compacts the index on request.
type Ingester struct {
	docs    chan doc
	compact chan struct{}
	quit    chan struct{}
	stopped atomic.Bool

	mu       sync.Mutex
	indexed  map[int]string
	compacts int
}

func NewIngester() *Ingester {
	return &Ingester{docs: make(chan doc), compact: make(chan struct{}, 1), quit: make(chan struct{}), indexed: make(map[int]string)}
}

// Start launches the background loops.
func (in *Ingester) Start() {
	loops := []func(){in.indexDocs, in.compactLoop}
	for _, loop := range loops {
		go loop() // leak-go
	}
}

func (in *Ingester) indexDocs() {
	for d := range in.docs { // leak: chan receive
		if in.stopped.Load() {
			return
		}
		in.mu.Lock()
		in.indexed[d.id] = d.body
		in.mu.Unlock()
	}
}

func (in *Ingester) compactLoop() {
	for {
		select {
		case <-in.compact:
			in.mu.Lock()
			in.compacts++
			in.mu.Unlock()
		case <-in.quit:
			return
		}
	}
}

func (in *Ingester) Add(d doc) {
	in.docs <- d
}

// Compact asks for a compaction unless one is pending.
func (in *Ingester) Compact() {
	select {
	case in.compact <- struct{}{}:
	default:
	}
}

// Indexed is the number of documents indexed so far.
func (in *Ingester) Indexed() int {
	in.mu.Lock()
	defer in.mu.Unlock()
	return len(in.indexed)
}

// Stop asks the loops to end.
func (in *Ingester) Stop() {
	in.stopped.Store(true)
	close(in.quit)
}

func Run() {
	in := NewIngester()
	in.Start()
	in.Add(doc{1, "hello"})
	in.Add(doc{2, "world"})
	in.Compact()
	for in.Indexed() < 2 {
		time.Sleep(time.Millisecond)
	}
	in.Stop()
	fmt.Println("stopped")
}
