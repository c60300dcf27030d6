// Package dropslow is a broker that fans messages out with a non-blocking send: a subscriber that
// is not ready misses the message (and it is counted), so a subscriber that went away can never
// stall the broker. Close ends the broker loop.
package dropslow

import (
	"context"
	"fmt"
	"sync"
)

// Broker fans messages out to subscribers.
type Broker struct {
	publish chan string
	done    chan struct{}

	mu      sync.Mutex
	subs    map[int]chan string
	next    int
	dropped int
}

func NewBroker() *Broker {
	b := &Broker{publish: make(chan string), done: make(chan struct{}), subs: make(map[int]chan string)}
	go b.run()
	return b
}

func (b *Broker) run() {
	defer close(b.done)
	for msg := range b.publish {
		b.mu.Lock()
		for _, ch := range b.subs {
			select {
			case ch <- msg:
			default:
				b.dropped++
			}
		}
		b.mu.Unlock()
	}
}

func (b *Broker) Subscribe() (int, <-chan string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.next++
	ch := make(chan string, 16)
	b.subs[b.next] = ch
	return b.next, ch
}

func (b *Broker) Unsubscribe(id int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.subs, id)
}

func (b *Broker) Publish(msg string) { b.publish <- msg }

// Close ends the broker after the messages already published.
func (b *Broker) Close() {
	close(b.publish)
	<-b.done
}

func session(ctx context.Context, msgs <-chan string, seen chan<- string) {
	for {
		select {
		case m := <-msgs:
			seen <- m
		case <-ctx.Done():
			return
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
	for i := 0; i < 20; i++ {
		b.Publish(fmt.Sprintf("deploy step %d", i))
	}
	b.Close()
}
