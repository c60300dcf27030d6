// Package loopcontinue is a deployment reconciler that takes its lock for every event. An event
// for an unknown deployment skips the round with continue and leaves the mutex locked, so the
// next event's Lock blocks the reconciler on itself.
package loopcontinue

import (
	"fmt"
	"sync"
)

type event struct {
	name     string
	replicas int
}

// Reconciler applies scaling events to the desired state.
type Reconciler struct {
	mu      sync.Mutex
	desired map[string]int
	applied int

	events chan event
}

func NewReconciler(deployments ...string) *Reconciler {
	r := &Reconciler{desired: make(map[string]int), events: make(chan event)}
	for _, d := range deployments {
		r.desired[d] = 1
	}
	go r.run() // leak-go
	return r
}

func (r *Reconciler) run() {
	for ev := range r.events {
		r.mu.Lock() // leak: mutex
		if _, ok := r.desired[ev.name]; !ok {
			continue // leak-site: continues with r.mu held
		}
		r.desired[ev.name] = ev.replicas
		r.applied++
		r.mu.Unlock()
	}
}

// Notify hands a scaling event to the reconciler.
func (r *Reconciler) Notify(ev event) {
	r.events <- ev
}

// Close ends the event stream.
func (r *Reconciler) Close() {
	close(r.events)
}

func Run() {
	r := NewReconciler("api", "worker")
	r.Notify(event{"batch", 3}) // not a known deployment
	r.Notify(event{"api", 5})
	r.Close()
	fmt.Println("events sent")
}
