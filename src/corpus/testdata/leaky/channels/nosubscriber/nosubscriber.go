// Package nosubscriber is an audit notifier that delivers each event from its own goroutine on
// an unbuffered channel exposed through Events. The service that was meant to read Events never
// does, so every delivery goroutine blocks on its send.
package nosubscriber

import (
	"fmt"
	"time"
)

type Event struct {
	User   string
	Action string
	At     time.Time
}

// Notifier publishes audit events.
type Notifier struct {
	out chan Event
}

func NewNotifier() *Notifier {
	return &Notifier{out: make(chan Event)}
}

// Events is the stream of published events.
func (n *Notifier) Events() <-chan Event {
	return n.out
}

// Publish delivers ev without making the caller wait.
func (n *Notifier) Publish(ev Event) {
	go n.deliver(ev) // leak-go
}

func (n *Notifier) deliver(ev Event) {
	n.out <- ev // leak: chan send
}

type accounts struct {
	audit *Notifier
	users map[string]bool
}

func (a *accounts) create(user string) {
	a.users[user] = true
	a.audit.Publish(Event{User: user, Action: "create", At: time.Now()})
}

func Run() {
	a := &accounts{audit: NewNotifier(), users: make(map[string]bool)}
	a.create("ada")
	a.create("grace")
	fmt.Println(len(a.users), "users")
}
