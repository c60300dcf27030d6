// Package waitsown runs schema migrations in parallel and waits for them on a done channel it
// makes itself. The channel is never handed to the migration goroutines, so nothing ever closes
// or sends on it and Run's caller waits forever.
package waitsown

import (
	"fmt"
	"sync"
)

type step struct {
	name string
	sql  string
}

// Migrator applies schema steps.
type Migrator struct {
	steps []step

	mu      sync.Mutex
	applied []string
}

func NewMigrator(steps ...step) *Migrator {
	return &Migrator{steps: steps}
}

func (m *Migrator) apply(s step) {
	m.mu.Lock()
	m.applied = append(m.applied, s.name)
	m.mu.Unlock()
}

// Migrate applies every step and returns when all are done.
func (m *Migrator) Migrate() {
	done := make(chan struct{})
	for _, s := range m.steps {
		go m.apply(s)
	}
	<-done // leak: chan receive
}

func Run() {
	m := NewMigrator(step{"users", "CREATE TABLE users"}, step{"orders", "CREATE TABLE orders"})
	go m.Migrate() // leak-go
	fmt.Println("migration started")
}
