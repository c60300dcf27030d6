package races

import "sync"

type Account struct {
	mu      sync.Mutex
	balance int
}

// Transfer locks the source, then the destination: two transfers in opposite directions that
// each take their first lock before the other's second deadlock (AB-BA).
func Transfer(from, to *Account, amount int) {
	from.mu.Lock()
	defer from.mu.Unlock()
	to.mu.Lock()
	defer to.mu.Unlock()
	from.balance -= amount
	to.balance += amount
}
