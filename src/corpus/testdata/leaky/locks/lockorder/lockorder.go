// Package lockorder has a catalog and a stock ledger that call into each other while holding
// their own lock: renaming a product locks the catalog and then the stock, restocking locks the
// stock and then the catalog. Run concurrently, the two goroutines deadlock (AB-BA).
package lockorder

import (
	"fmt"
	"sync"
)

// tracer receives an event after each lock is taken (metrics, debug logging).
type tracer interface {
	event(what string)
}

// Catalog names products.
type Catalog struct {
	mu    sync.Mutex
	names map[int]string
	stock *Stock
	trace tracer
}

// Stock counts units per product.
type Stock struct {
	mu      sync.Mutex
	units   map[int]int
	labels  map[int]string
	catalog *Catalog
	trace   tracer
}

// Rename changes a product's name and relabels its stock.
func (c *Catalog) Rename(id int, name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.trace.event("catalog locked")
	c.names[id] = name
	c.stock.relabel(id, name) // leak-site: takes the stock lock while holding the catalog lock
}

func (s *Stock) relabel(id int, name string) {
	s.mu.Lock() // leak: mutex
	defer s.mu.Unlock()
	s.labels[id] = name
}

// Restock adds units and records the product's current name.
func (s *Stock) Restock(id, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.trace.event("stock locked")
	s.units[id] += n
	s.labels[id] = s.catalog.name(id) // leak-site: takes the catalog lock while holding the stock lock
}

func (c *Catalog) name(id int) string {
	c.mu.Lock() // leak: mutex
	defer c.mu.Unlock()
	return c.names[id]
}

// rendezvous is the test's tracer: it holds each event until both goroutines have sent one, so
// the interleaving that deadlocks happens on every run.
type rendezvous struct{ wg sync.WaitGroup }

func (r *rendezvous) event(string) {
	r.wg.Done()
	r.wg.Wait()
}

func Run() {
	tr := &rendezvous{}
	tr.wg.Add(2)
	c := &Catalog{names: map[int]string{1: "kettle"}, trace: tr}
	s := &Stock{units: map[int]int{}, labels: map[int]string{}, catalog: c, trace: tr}
	c.stock = s
	go c.Rename(1, "electric kettle") // leak-go
	go s.Restock(1, 12)               // leak-go
	fmt.Println("catalog and stock updating")
}
