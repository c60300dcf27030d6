// Package addperstart sends notifications to subscribed recipients. It calls wg.Add(1) right
// before each go statement it actually runs, so skipped recipients are never counted.
package addperstart

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
	for _, r := range to {
		if r.unsubscribed {
			continue
		}
		wg.Add(1)
		go func(r recipient) {
			defer wg.Done()
			m.send(r.email, body)
		}(r)
	}
	wg.Wait()
}

func Run() {
	m := &Mailer{}
	m.Broadcast("release 1.4 is out", []recipient{{email: "a@example.com"}, {email: "b@example.com", unsubscribed: true}})
	fmt.Println(len(m.sent), "sent")
}
