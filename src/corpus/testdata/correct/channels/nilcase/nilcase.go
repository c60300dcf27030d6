// Package nilcase merges two event feeds into one stream. When a feed is closed its variable is
// set to nil, which disables that select case (a nil channel is never ready), and the merge ends
// when both feeds are done.
package nilcase

import (
	"fmt"
	"sort"
)

type event struct {
	source string
	seq    int
}

// Merger combines the events of two sources.
type Merger struct {
	out chan event
}

func NewMerger(a, b <-chan event) *Merger {
	m := &Merger{out: make(chan event)}
	go m.merge(a, b)
	return m
}

func (m *Merger) merge(a, b <-chan event) {
	defer close(m.out)
	for a != nil || b != nil {
		select {
		case ev, ok := <-a:
			if !ok {
				a = nil
				continue
			}
			m.out <- ev
		case ev, ok := <-b:
			if !ok {
				b = nil
				continue
			}
			m.out <- ev
		}
	}
}

// Events is the merged stream; it is closed when both sources are.
func (m *Merger) Events() <-chan event { return m.out }

func feed(name string, n int) <-chan event {
	ch := make(chan event)
	go func() {
		defer close(ch)
		for i := 0; i < n; i++ {
			ch <- event{name, i}
		}
	}()
	return ch
}

func Run() {
	m := NewMerger(feed("billing", 3), feed("audit", 5))
	var got []string
	for ev := range m.Events() {
		got = append(got, fmt.Sprintf("%s/%d", ev.source, ev.seq))
	}
	sort.Strings(got)
	fmt.Println(got)
}
