package fixtures

import (
	"context"
	"errors"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"time"
)

// defer close right after making the channel covers every return.
func deferClose(n int) error {
	ch := make(chan item)
	defer close(ch)
	go func() {
		for it := range ch {
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
	return nil
}

// The producer defers its close.
func producerDefers(n int) {
	ch := make(chan item)
	go func() {
		defer close(ch)
		for i := 0; i < n; i++ {
			it, err := load(i)
			if err != nil {
				return
			}
			ch <- it
		}
	}()
	go func() {
		for it := range ch {
			println(it.n)
		}
	}()
}

// A close after a producer loop with no early return.
func closeAfterLoop(xs []int) {
	ch := make(chan int)
	go func() {
		for v := range ch {
			println(v)
		}
	}()
	for _, x := range xs {
		ch <- x
	}
	close(ch)
}

// The error path closes before it returns.
func closeOnErrorPath(n int) error {
	ch := make(chan item)
	go func() {
		for it := range ch {
			println(it.n)
		}
	}()
	for i := 0; i < n; i++ {
		it, err := load(i)
		if err != nil {
			close(ch)
			return err
		}
		ch <- it
	}
	close(ch)
	return nil
}

// A same-package function that closes with defer.
func produceSafely(n int, out chan<- item) {
	defer close(out)
	for i := 0; i < n; i++ {
		it, err := load(i)
		if err != nil {
			return
		}
		out <- it
	}
}

func viaSafeProducer(n int) {
	ch := make(chan item)
	go produceSafely(n, ch)
	go func() {
		for it := range ch {
			println(it.n)
		}
	}()
}

// A close through a same-package helper.
func shut(ch chan int) { close(ch) }

func closeViaHelper(xs []int) {
	ch := make(chan int)
	go func() {
		for v := range ch {
			println(v)
		}
	}()
	for _, x := range xs {
		ch <- x
	}
	shut(ch)
}

// A receive that can give up on the context.
func cancellableWait(ctx context.Context) {
	done := make(chan struct{})
	go func() {
		select {
		case <-done:
		case <-ctx.Done():
		}
	}()
}

// A single receive released by a send.
func oneShot() int {
	result := make(chan int)
	go func() {
		v := <-result
		println(v)
	}()
	result <- 1
	return 1
}

// A done channel closed with defer.
func stopWorker() {
	done := make(chan struct{})
	defer close(done)
	go func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
}

// Timer channels are for other rules.
func timerWait() {
	go func() {
		<-time.After(time.Second)
	}()
}

// A parameter's channel is the caller's responsibility.
func consume(in <-chan int) {
	go func() {
		for v := range in {
			println(v)
		}
	}()
}

// Fan-in with a WaitGroup and a closer goroutine.
func merge(ins ...<-chan int) <-chan int {
	out := make(chan int)
	var wg sync.WaitGroup
	for _, in := range ins {
		wg.Add(1)
		go func(in <-chan int) {
			defer wg.Done()
			for v := range in {
				out <- v
			}
		}(in)
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}

// A pipeline stage with a done channel and defer close.
func square(done <-chan struct{}, in <-chan int) <-chan int {
	out := make(chan int)
	go func() {
		defer close(out)
		for v := range in {
			select {
			case out <- v * v:
			case <-done:
				return
			}
		}
	}()
	return out
}

// Worker pool with a Close method that closes the jobs field.
type workers struct {
	jobs chan item
	wg   sync.WaitGroup
}

func newWorkers(n int) *workers {
	w := &workers{jobs: make(chan item)}
	for i := 0; i < n; i++ {
		w.wg.Add(1)
		go func() {
			defer w.wg.Done()
			for j := range w.jobs {
				println(j.n)
			}
		}()
	}
	return w
}

func (w *workers) Submit(j item) { w.jobs <- j }

func (w *workers) Close() {
	close(w.jobs)
	w.wg.Wait()
}

// A field closed through a helper method.
type stream struct {
	updates chan int
	once    sync.Once
}

func newStream() *stream {
	s := &stream{updates: make(chan int)}
	go s.run()
	return s
}

func (s *stream) run() {
	for u := range s.updates {
		println(u)
	}
}

func (s *stream) Stop() { s.once.Do(s.shutdown) }

func (s *stream) shutdown() { close(s.updates) }

// An exported field: another package may close it.
type Feed struct {
	Items chan item
}

func NewFeed() *Feed {
	f := &Feed{Items: make(chan item)}
	go func() {
		for it := range f.Items {
			println(it.n)
		}
	}()
	return f
}

// A field handed out by an accessor: its users may close it.
type hub struct {
	in chan int
}

func newHub() *hub {
	h := &hub{in: make(chan int)}
	go func() {
		for v := range h.in {
			println(v)
		}
	}()
	return h
}

func (h *hub) Input() chan<- int { return h.in }

// Channel handed to unknown code.
func handOut(register func(chan int)) {
	ch := make(chan int)
	go func() {
		for v := range ch {
			println(v)
		}
	}()
	register(ch)
}

// A semaphore: each goroutine takes a slot and releases it with a deferred receive.
func limited(files []string, wg *sync.WaitGroup) {
	sema := make(chan struct{}, 4)
	for _, f := range files {
		wg.Add(1)
		go func(f string) {
			sema <- struct{}{}
			defer func() {
				<-sema
				wg.Done()
			}()
			println(f)
		}(f)
	}
}

// The making function never returns: the consumer lives exactly as long as it does.
func serveForever(next func() int) {
	ch := make(chan int)
	go func() {
		for v := range ch {
			println(v)
		}
	}()
	for {
		ch <- next()
	}
}

// selectSendOrDone: the receive from done is one case of a select whose send case the caller
// takes, so the goroutine is released even though done is never closed.
func selectSendOrDone() error {
	ch := make(chan error)
	done := make(chan struct{})
	go func() {
		select {
		case ch <- nil:
		case <-done:
		}
	}()
	return <-ch
}

// Close guards against closing twice: its early return is not a skipped close.
type Broker struct {
	mu     sync.Mutex
	closed bool
	subs   chan string
}

func NewBroker() *Broker {
	b := &Broker{subs: make(chan string)}
	go b.serve()
	return b
}

func (b *Broker) serve() {
	for s := range b.subs {
		println(s)
	}
}

func (b *Broker) Close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return
	}
	b.closed = true
	close(b.subs)
}

// The loader closes on success, and Close closes on every path: one of them always runs.
type Loader struct {
	rows chan int
	once sync.Once
}

func NewLoader() *Loader {
	l := &Loader{rows: make(chan int)}
	go l.print()
	return l
}

func (l *Loader) print() {
	for r := range l.rows {
		println(r)
	}
}

func (l *Loader) Load(n int) error {
	for i := 0; i < n; i++ {
		if i > 100 {
			return errTooMany
		}
		l.rows <- i
	}
	l.Close()
	return nil
}

func (l *Loader) Close() { l.once.Do(func() { close(l.rows) }) }

var errTooMany = errors.New("too many")

// The producer closes with defer: every path closes.
type Feed struct{ items chan int }

func NewFeed() *Feed {
	f := &Feed{items: make(chan int)}
	go f.read()
	return f
}

func (f *Feed) read() {
	for it := range f.items {
		println(it)
	}
}

func (f *Feed) Fill(n int) error {
	defer close(f.items)
	for i := 0; i < n; i++ {
		if i > 9 {
			return errTooMany
		}
		f.items <- i
	}
	return nil
}

// A function that waits on a channel it hands to a worker that closes it.
func waitForWorker() {
	done := make(chan struct{})
	go func() {
		defer close(done)
		println("working")
	}()
	<-done
}

// A signal channel registered with os/signal: the runtime sends on it.
func waitForSignal() {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt)
	<-sig
}

// The channel is handed to a function whose body holds no channel operation (the scanner does
// not copy it): what it does with the channel is out of view, so the wait is not judged.
var registry = map[string]any{}

func register(name string, v any) { registry[name] = v }

func waitRegistered() {
	c := make(chan int)
	register("c", c)
	<-c
}

// Requests carry their own result channel; the flusher keeps them in a slice and answers all
// of them, on flush or on quit.
type writeRequest struct {
	data   []byte
	result chan<- error
}

type coalescer struct {
	reqs chan *writeRequest
	quit chan struct{}
}

func (c *coalescer) write(b []byte) error {
	res := make(chan error, 1)
	c.reqs <- &writeRequest{data: b, result: res}
	return <-res
}

func (c *coalescer) flusher() {
	var pending []chan<- error
	for {
		select {
		case r := <-c.reqs:
			pending = append(pending, r.result)
		case <-c.quit:
			for _, p := range pending {
				p <- errors.New("closed")
			}
			return
		}
	}
}

func (c *coalescer) start(data [][]byte) {
	go c.flusher()
	for _, b := range data {
		go c.write(b)
	}
}

// The channel goes to a helper that hands it to an HTTP handler: the handler sends on it.
func fakeServer(results chan string) http.Handler {
	handler := func(w http.ResponseWriter, r *http.Request) {
		results <- r.URL.Path
	}
	return http.HandlerFunc(handler)
}

func firstRequest(serve func(http.Handler)) string {
	results := make(chan string)
	go serve(fakeServer(results))
	return <-results
}

// The loops range over a field that Close closes for every client, reached through a copy of
// the client list: each range ends.
type hub struct {
	mu      sync.Mutex
	clients []*hubClient
}

type hubClient struct {
	send chan int
}

func (h *hub) connect() {
	c := &hubClient{send: make(chan int)}
	h.mu.Lock()
	h.clients = append(h.clients, c)
	h.mu.Unlock()
	go c.loop()
}

func (c *hubClient) loop() {
	for v := range c.send {
		_ = v
	}
}

func (h *hub) Close() {
	h.mu.Lock()
	clients := h.clients
	h.clients = nil
	h.mu.Unlock()
	for _, c := range clients {
		close(c.send)
	}
}

// Channels made per item in a range loop, and their partners reached by indexing the same list:
// every item is started and finished by the loop below.
type job struct {
	start chan bool
	end   chan bool
}

func runJobs(list []*job) {
	for _, j := range list {
		j.start = make(chan bool)
		j.end = make(chan bool)
		go func(j *job) {
			if <-j.start {
				_ = j
			}
			j.end <- true
		}(j)
	}
	for i := range list {
		j := list[i]
		j.start <- true
		<-j.end
	}
}

// A done channel behind a receive-only accessor, closed on every path.
type chore struct {
	run  func() error
	done chan struct{}
	err  error
}

func startChore(run func() error) *chore {
	c := &chore{run: run, done: make(chan struct{})}
	go c.exec()
	return c
}

func (c *chore) exec() {
	defer close(c.done)
	if err := c.run(); err != nil {
		c.err = err
		return
	}
}

func (c *chore) Done() <-chan struct{} { return c.done }

func watchChore(run func() error) {
	c := startChore(run)
	go func() {
		<-c.Done()
	}()
}

// An accessor that hands out the channel itself (not receive-only): its callers may close it.
type lease struct{ expired chan struct{} }

func newLease() *lease {
	l := &lease{expired: make(chan struct{})}
	go func() {
		<-l.expired
	}()
	return l
}

func (l *lease) Expired() chan struct{} { return l.expired }
