// Package firstresponse is a resolver that asks every replica and answers with the first reply.
// The answers channel has room for every replica, so the slower replicas' sends complete after
// Resolve has returned and their goroutines end.
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
	answers := make(chan string, len(r.replicas))
	for _, rep := range r.replicas {
		go func(rep *replica) {
			answers <- rep.lookup(host)
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
