// Package slowsubscriber is a broker that fans each published message out to its subscribers
// with a blocking send. A subscriber that stops reading without unsubscribing blocks the broker's
// loop on the fan-out send for good.
package slowsubscriber

import (
	"context"
	"fmt"
	"sync"
)

// Broker fans messages out to subscribers.
type Broker struct {
	publish chan string

	mu   sync.Mutex
	subs map[int]chan string
	next int
}

func NewBroker() *Broker {
	b := &Broker{publish: make(chan string), subs: make(map[int]chan string)}
	go b.run() // leak-go
	return b
}

func (b *Broker) run() {
	for msg := range b.publish {
		b.mu.Lock()
		subs := make([]chan string, 0, len(b.subs))
		for _, ch := range b.subs {
			subs = append(subs, ch)
		}
		b.mu.Unlock()
		for _, ch := range subs {
			ch <- msg // leak: chan send
		}
	}
}

// Subscribe returns a channel of messages and its id for Unsubscribe.
func (b *Broker) Subscribe() (int, <-chan string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.next++
	ch := make(chan string)
	b.subs[b.next] = ch
	return b.next, ch
}

func (b *Broker) Unsubscribe(id int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.subs, id)
}

func (b *Broker) Publish(msg string) {
	b.publish <- msg
}

// Close ends the broker loop after the messages already published.
func (b *Broker) Close() {
	close(b.publish)
}

// A client session that reads until its context ends and forgets to unsubscribe.
func session(ctx context.Context, msgs <-chan string, seen chan<- string) {
	for {
		select {
		case m := <-msgs:
			seen <- m
		case <-ctx.Done():
			return // leak-site: returns without Unsubscribe
		}
	}
}

func Run() {
	b := NewBroker()
	_, msgs := b.Subscribe()
	ctx, cancel := context.WithCancel(context.Background())
	seen := make(chan string, 1)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		session(ctx, msgs, seen)
	}()
	b.Publish("deploy started")
	fmt.Println(<-seen)
	cancel()
	wg.Wait()
	b.Publish("deploy finished")
	b.Close()
}
