// Package firstresponse is a DNS-style resolver that asks every replica and answers with the
// first reply. The replies of the slower replicas are sent on an unbuffered channel that nobody
// reads once Resolve has returned, so each call strands len(replicas)-1 goroutines.
package firstresponse

import (
	"fmt"
	"time"
)

type replica struct {
	name  string
	delay time.Duration
	table map[string]string
}

func (r *replica) lookup(host string) string {
	time.Sleep(r.delay)
	return r.table[host]
}

// Resolver queries a set of replicas.
type Resolver struct {
	replicas []*replica
}

func NewResolver(replicas ...*replica) *Resolver {
	return &Resolver{replicas: replicas}
}

// Resolve returns the address of host from whichever replica answers first.
func (r *Resolver) Resolve(host string) string {
	answers := make(chan string)
	for _, rep := range r.replicas {
		go func(rep *replica) { // leak-go
			answers <- rep.lookup(host) // leak: chan send
		}(rep)
	}
	return <-answers
}

func Run() {
	table := map[string]string{"db.internal": "10.0.0.7"}
	r := NewResolver(
		&replica{name: "a", delay: time.Millisecond, table: table},
		&replica{name: "b", delay: 2 * time.Millisecond, table: table},
		&replica{name: "c", delay: 3 * time.Millisecond, table: table},
	)
	fmt.Println(r.Resolve("db.internal"))
}
