package fixtures

import (
	"errors"
	"sync"
)

type item struct{ n int }

func load(i int) (item, error) {
	if i < 0 {
		return item{}, errors.New("negative")
	}
	return item{n: i}, nil
}

// Nothing ever closes ch: the consumer waits forever after the last value.
func neverClosed(xs []int) {
	ch := make(chan int)
	go func() {
		for v := range ch { // want "goroutine ranges over `ch`, but nothing closes it"
			println(v)
		}
	}()
	for _, x := range xs {
		ch <- x
	}
}

// A done channel nobody closes or sends on.
func neverSignalled() {
	done := make(chan struct{})
	go func() {
		<-done // want "goroutine waits to receive from `done`, but nothing sends on or closes it"
		println("cleanup")
	}()
	println("work")
}

// Closed on success only: the error return skips the close.
func closedOnSuccess(n int) error {
	ch := make(chan item)
	go func() {
		for it := range ch { // want "but the function returns early without closing it"
			println(it.n)
		}
	}()
	for i := 0; i < n; i++ {
		it, err := load(i)
		if err != nil {
			return err
		}
		ch <- it
	}
	close(ch)
	return nil
}

// The producer goroutine returns on error before its close.
func producerReturnsEarly(n int, wg *sync.WaitGroup) {
	ch := make(chan item)
	go func() {
		for i := 0; i < n; i++ {
			it, err := load(i)
			if err != nil {
				return
			}
			ch <- it
		}
		close(ch)
	}()
	wg.Add(1)
	go func() {
		defer wg.Done()
		for it := range ch { // want "but the producer goroutine returns early without closing it"
			println(it.n)
		}
	}()
}

// A same-package producer with the same flaw.
func produce(n int, out chan<- item) {
	for i := 0; i < n; i++ {
		it, err := load(i)
		if err != nil {
			return
		}
		out <- it
	}
	close(out)
}

func viaProducer(n int) {
	ch := make(chan item)
	go produce(n, ch)
	go func() {
		for it := range ch { // want "but `produce` returns early without closing it"
			println(it.n)
		}
	}()
}

// A struct field ranged by a goroutine that no method ever closes.
type dispatcher struct {
	events chan item
	wg     sync.WaitGroup
}

func newDispatcher() *dispatcher {
	d := &dispatcher{events: make(chan item)}
	d.wg.Add(1)
	go d.loop()
	return d
}

func (d *dispatcher) loop() {
	defer d.wg.Done()
	for ev := range d.events { // want "goroutine ranges over the `.events` field of `dispatcher`, but no code in the package closes it"
		println(ev.n)
	}
}

func (d *dispatcher) Publish(ev item) {
	d.events <- ev
}

// The same flaw with the goroutine written inline.
type notifier struct {
	msgs chan string
}

func newNotifier() *notifier {
	n := &notifier{msgs: make(chan string)}
	go func() {
		for m := range n.msgs { // want "ranges over the `.msgs` field of `notifier`"
			println(m)
		}
	}()
	return n
}

func (n *notifier) Notify(m string) { n.msgs <- m }

// A pipeline whose producer method returns on the first bad record without closing the
// channel its consumer goroutine ranges over.
type record struct{ id int }

type Pipeline struct {
	records chan record
	done    chan struct{}
}

func NewPipeline() *Pipeline {
	p := &Pipeline{records: make(chan record), done: make(chan struct{})}
	go p.consume()
	return p
}

func (p *Pipeline) consume() {
	for r := range p.records { // want "ranges over the `.records` field of `Pipeline`, which is closed only on the success path: `Feed` returns an error"
		println(r.id)
	}
	close(p.done)
}

func (p *Pipeline) Feed(ids []int) error {
	for _, id := range ids {
		if id < 0 {
			return errors.New("bad record")
		}
		p.records <- record{id: id}
	}
	close(p.records)
	return nil
}

// A package-level queue that a worker drains and nothing ever closes.
var queue = make(chan record, 16)

func startDrain() {
	go func() {
		for r := range queue { // want "ranges over package variable `queue`, but no code in the package closes it"
			println(r.id)
		}
	}()
}

func enqueue(r record) { queue <- r }

// A function that waits for a signal on a channel it never gives to anyone.
func waitForReady() {
	ready := make(chan struct{})
	println("waiting")
	<-ready // want "function waits to receive from `ready`, which it made and never hands to anyone"
}

// A worker started on a field through a parameter: the worker ranges, nothing closes.
type pool struct {
	tasks chan func()
}

func newPool(n int) *pool {
	p := &pool{tasks: make(chan func())}
	for i := 0; i < n; i++ {
		go runTasks(p.tasks)
	}
	return p
}

func runTasks(tasks <-chan func()) {
	for t := range tasks { // want "ranges over the `.tasks` field of `pool`, but no code in the package closes it"
		t()
	}
}

func (p *pool) Submit(t func()) { p.tasks <- t }

// A done channel behind a receive-only accessor, closed only when the task succeeds.
type task struct {
	run  func() error
	done chan struct{}
	err  error
}

func startTask(run func() error) *task {
	t := &task{run: run, done: make(chan struct{})}
	go t.exec()
	return t
}

func (t *task) exec() {
	if err := t.run(); err != nil {
		t.err = err
		return
	}
	close(t.done)
}

func (t *task) Done() <-chan struct{} { return t.done }

func watchTask(run func() error) {
	t := startTask(run)
	go func() {
		<-t.Done() // want "closed only on the success path"
	}()
}
