package fixtures

import (
	"fmt"
	"time"
)

// Declared and never made: the goroutine's send blocks forever, and so does the receive.
func NeverMade() int {
	var results chan int
	go func() {
		results <- 42 // want "send on nil channel `results`: it is declared `var results chan int` and never made"
	}()
	return <-results // want "receive from nil channel `results`"
}

// Made only when verbose: on the other path the range blocks forever.
func MadeUnderCondition(verbose bool, lines []string) {
	var logs chan string
	if verbose {
		logs = make(chan string, len(lines))
	}
	for _, l := range lines {
		if verbose {
			logs <- l
		}
	}
	for l := range logs { // want "range over channel `logs`, which is nil unless `verbose`"
		fmt.Println(l)
	}
}

// A select with a single case on a nil channel is not the disable idiom: it blocks forever.
func SingleCaseSelect() {
	var stop chan struct{}
	select {
	case <-stop: // want "receive from nil channel `stop`"
	}
}

// A field nothing in the package ever initialises.
type Broker struct {
	name    string
	updates chan string
}

func NewBroker(name string) *Broker {
	return &Broker{name: name}
}

func (b *Broker) Publish(msg string) {
	go func() {
		b.updates <- msg // want "send on nil channel `b.updates`: no code in this package ever sets field `updates` of `Broker`"
	}()
}

func (b *Broker) Next() string {
	return <-b.updates // want "receive from nil channel `b.updates`"
}

// An unexported package variable that is never made.
var shutdown chan struct{}

func WaitShutdown() {
	<-shutdown // want "receive from nil channel `shutdown`: the package variable is declared without a value"
}

// Made under a condition, then awaited unconditionally.
func MaybeTimeout(d time.Duration, work func()) {
	var finished chan bool
	if d > 0 {
		finished = make(chan bool, 1)
		go func() {
			work()
			finished <- true
		}()
	}
	<-finished // want "receive from channel `finished`, which is nil unless `d > 0`"
}

// A grouped declaration is no different.
func Grouped(n int) {
	var (
		count = n
		acks  chan int
	)
	go func() {
		acks <- count // want "send on nil channel `acks`"
	}()
}

// An audit channel made only when the option asks for it, but drained by a goroutine that is
// always started: without the option, the range over the nil field blocks forever.
type Options struct{ Audit bool }

type Store struct {
	audit chan string
	data  map[string]string
}

func NewStore(opts Options) *Store {
	s := &Store{data: map[string]string{}}
	if opts.Audit {
		s.audit = make(chan string, 64)
	}
	go s.writeAudit()
	return s
}

func (s *Store) writeAudit() {
	for line := range s.audit { // want "range over the `.audit` field of `Store`, which is nil unless `opts.Audit`"
		fmt.Println(line)
	}
}
