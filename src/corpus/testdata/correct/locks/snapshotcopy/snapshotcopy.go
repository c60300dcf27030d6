// Package snapshotcopy is a routing table whose Snapshot copies the routes under one read lock
// and formats them with a helper that takes the copy, never the lock, so a waiting writer cannot
// wedge a nested RLock.
package snapshotcopy

import (
	"fmt"
	"sort"
	"sync"
)

// Table maps prefixes to next hops.
type Table struct {
	mu     sync.RWMutex
	routes map[string]string
}

func NewTable() *Table {
	return &Table{routes: map[string]string{"10.0.0.0/8": "eth0", "0.0.0.0/0": "eth1"}}
}

func (t *Table) Lookup(prefix string) string {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.routes[prefix]
}

// Snapshot lists every route in order.
func (t *Table) Snapshot() []string {
	t.mu.RLock()
	routes := make(map[string]string, len(t.routes))
	for p, hop := range t.routes {
		routes[p] = hop
	}
	t.mu.RUnlock()
	return format(routes)
}

func format(routes map[string]string) []string {
	prefixes := make([]string, 0, len(routes))
	for p := range routes {
		prefixes = append(prefixes, p)
	}
	sort.Strings(prefixes)
	out := make([]string, 0, len(prefixes))
	for _, p := range prefixes {
		out = append(out, p+" via "+routes[p])
	}
	return out
}

func (t *Table) Set(prefix, hop string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.routes[prefix] = hop
}

func Run() {
	t := NewTable()
	var wg sync.WaitGroup
	for i := 0; i < 10; i++ {
		wg.Add(2)
		go func() { defer wg.Done(); t.Snapshot() }()
		go func(i int) { defer wg.Done(); t.Set(fmt.Sprintf("192.168.%d.0/24", i), "eth2") }(i)
	}
	wg.Wait()
	fmt.Println(len(t.Snapshot()), "routes")
}
