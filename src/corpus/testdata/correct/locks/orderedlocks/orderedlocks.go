// Package orderedlocks transfers money between accounts, each with its own mutex. Transfers in
// both directions run at once, but every transfer locks the account with the lower ID first, so
// two instances of the type are always locked in the same order and cannot deadlock.
package orderedlocks

import (
	"errors"
	"fmt"
	"sync"
)

var errInsufficient = errors.New("insufficient funds")

// Account is a balance guarded by its own lock.
type Account struct {
	id      int
	mu      sync.Mutex
	balance int
}

// Transfer moves amount from one account to another.
func Transfer(from, to *Account, amount int) error {
	first, second := from, to
	if to.id < from.id {
		first, second = to, from
	}
	first.mu.Lock()
	defer first.mu.Unlock()
	second.mu.Lock()
	defer second.mu.Unlock()
	if from.balance < amount {
		return errInsufficient
	}
	from.balance -= amount
	to.balance += amount
	return nil
}

func Run() {
	a := &Account{id: 1, balance: 100}
	b := &Account{id: 2, balance: 100}
	var wg sync.WaitGroup
	for i := 0; i < 50; i++ {
		wg.Add(2)
		go func() { defer wg.Done(); Transfer(a, b, 1) }()
		go func() { defer wg.Done(); Transfer(b, a, 1) }()
	}
	wg.Wait()
	fmt.Println(a.balance + b.balance)
}
