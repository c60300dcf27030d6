package fixtures

import (
	"fmt"
	"time"
)

func pollOnce(in <-chan int) {
	t := time.NewTicker(time.Second) // want "collected since Go 1.23 once unreferenced, but still ticking until then"
	select {
	case <-t.C:
	case v := <-in:
		fmt.Println(v)
	}
}

var global = time.NewTicker(time.Minute) // want "kept in package variable `global`"

func tickForever() {
	t := time.NewTicker(time.Second) // want "an endless loop keeps reading it, so it stays reachable and keeps ticking for the life of the program"
	for range t.C {
		fmt.Println("tick")
	}
}

func useGlobal() { <-global.C }
