// Package recursiverlock is a routing table whose Snapshot holds the read lock and calls a
// helper that read-locks again. Once a writer is waiting, a new RLock blocks (writers are
// preferred), so the reader waits for the writer, which waits for the reader.
package recursiverlock

import (
	"fmt"
	"sort"
	"sync"
	"time"
)

// Table maps prefixes to next hops.
type Table struct {
	mu       sync.RWMutex
	routes   map[string]string
	progress chan string // snapshot progress for the admin page
}

func NewTable() *Table {
	return &Table{routes: map[string]string{"10.0.0.0/8": "eth0", "0.0.0.0/0": "eth1"}, progress: make(chan string)}
}

func (t *Table) lookup(prefix string) string {
	t.mu.RLock() // leak: rwmutex
	defer t.mu.RUnlock()
	return t.routes[prefix]
}

// Snapshot lists every route in order.
func (t *Table) Snapshot() []string {
	t.mu.RLock()
	defer t.mu.RUnlock()
	prefixes := make([]string, 0, len(t.routes))
	for p := range t.routes {
		prefixes = append(prefixes, p)
	}
	sort.Strings(prefixes)
	var out []string
	for _, p := range prefixes {
		t.progress <- p
		out = append(out, p+" via "+t.lookup(p)) // leak-site: read-locks again under RLock
	}
	return out
}

func (t *Table) Set(prefix, hop string) {
	t.mu.Lock() // leak: rwmutex
	defer t.mu.Unlock()
	t.routes[prefix] = hop
}

func Run() {
	t := NewTable()
	go t.Snapshot()                          // leak-go
	fmt.Println("snapshot at", <-t.progress) // the snapshot holds the read lock
	go t.Set("192.168.0.0/16", "eth2")       // leak-go
	// Wait until the writer is queued (from then on TryRLock fails), then let the snapshot go on
	// (it may already be stuck in its first nested RLock).
	for t.mu.TryRLock() {
		t.mu.RUnlock()
		time.Sleep(time.Millisecond)
	}
	select {
	case p := <-t.progress:
		fmt.Println("snapshot at", p)
	case <-time.After(100 * time.Millisecond):
	}
}
