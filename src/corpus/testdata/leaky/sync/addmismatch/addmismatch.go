// Package addmismatch sends notifications to a list of recipients. It adds the whole list to the
// WaitGroup up front but skips unsubscribed recipients without starting their goroutine, so
// Wait waits for Dones that never come.
package addmismatch

import (
	"fmt"
	"sync"
)

type recipient struct {
	email        string
	unsubscribed bool
}

// Mailer sends one message to many recipients.
type Mailer struct {
	mu   sync.Mutex
	sent []string
}

func (m *Mailer) send(to, body string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sent = append(m.sent, to)
}

// Broadcast sends body to every subscribed recipient and waits for the sends.
func (m *Mailer) Broadcast(body string, to []recipient) {
	var wg sync.WaitGroup
	wg.Add(len(to)) // leak-site: counts unsubscribed recipients too
	for _, r := range to {
		if r.unsubscribed {
			continue
		}
		go func(r recipient) {
			defer wg.Done()
			m.send(r.email, body)
		}(r)
	}
	wg.Wait() // leak: waitgroup
}

func Run() {
	m := &Mailer{}
	list := []recipient{{email: "a@example.com"}, {email: "b@example.com", unsubscribed: true}}
	go m.Broadcast("release 1.4 is out", list) // leak-go
	fmt.Println("broadcast started")
}
