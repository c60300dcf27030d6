// Package fieldresponse is an inventory service that asks every warehouse for an item's stock
// and answers with the first reply. The replies travel on a channel kept in the service's struct
// (made once, unbuffered, in the constructor), and nothing but Available ever receives from it:
// each call takes one reply and leaves the other warehouses' goroutines blocked on their send.
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
	replies    chan reply
}

func NewInventory(warehouses ...*warehouse) *Inventory {
	return &Inventory{warehouses: warehouses, replies: make(chan reply)}
}

func (inv *Inventory) check(w *warehouse, item string) {
	time.Sleep(w.latency)
	inv.replies <- reply{warehouse: w.name, count: w.stock[item]} // leak: chan send
}

// Available reports the stock of the first warehouse that answers.
func (inv *Inventory) Available(item string) reply {
	for _, w := range inv.warehouses {
		go inv.check(w, item) // leak-go
	}
	return <-inv.replies
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
