// Package fieldresponse is an inventory service that asks every warehouse for an item's stock
// and answers with the first reply. Each query gets its own channel with room for every
// warehouse's reply, so the slower warehouses' sends complete after Available has returned and
// their goroutines end; no reply of one query can be taken by the next.
package fieldresponse

import (
	"fmt"
	"time"
)

type warehouse struct {
	name    string
	latency time.Duration
	stock   map[string]int
}

type reply struct {
	warehouse string
	count     int
}

// Inventory answers stock queries from a set of warehouses.
type Inventory struct {
	warehouses []*warehouse
}

func NewInventory(warehouses ...*warehouse) *Inventory {
	return &Inventory{warehouses: warehouses}
}

func (inv *Inventory) check(w *warehouse, item string, replies chan<- reply) {
	time.Sleep(w.latency)
	replies <- reply{warehouse: w.name, count: w.stock[item]}
}

// Available reports the stock of the first warehouse that answers.
func (inv *Inventory) Available(item string) reply {
	replies := make(chan reply, len(inv.warehouses))
	for _, w := range inv.warehouses {
		go inv.check(w, item, replies)
	}
	return <-replies
}

func Run() {
	stock := map[string]int{"sku-1042": 12}
	inv := NewInventory(
		&warehouse{name: "north", latency: time.Millisecond, stock: stock},
		&warehouse{name: "south", latency: 2 * time.Millisecond, stock: stock},
		&warehouse{name: "east", latency: 3 * time.Millisecond, stock: stock},
	)
	r := inv.Available("sku-1042")
	fmt.Println(r.warehouse != "", r.count)
}
