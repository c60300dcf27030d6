package fixtures

import (
	"context"
	"log"
	"time"
)

// A ticker goroutine that ignores the context it was started under: it outlives every request.
func StartFlusher(ctx context.Context, flush func()) {
	ticker := time.NewTicker(time.Second)
	go func() {
		for range ticker.C { // want "goroutine loops forever in `for range ticker.C` .* never checks `ctx`"
			flush()
		}
	}()
}

// time.Tick in a loop with a context parameter that is never consulted.
func poll(ctx context.Context, check func() bool) {
	for range time.Tick(100 * time.Millisecond) { // want "never checks `ctx`, so it keeps running after `ctx` is cancelled"
		check()
	}
}

func StartPoller(ctx context.Context, check func() bool) {
	go poll(ctx, check)
}

// A server with a quit channel that Close closes, and a loop that never looks at it.
type Server struct {
	quit  chan struct{}
	queue chan string
}

func NewServer() *Server {
	s := &Server{quit: make(chan struct{}), queue: make(chan string, 16)}
	go s.run()
	return s
}

func (s *Server) run() {
	for { // want "never receives from `s.quit`, so closing `s.quit` does not stop it"
		select {
		case msg := <-s.queue:
			log.Println(msg)
		case <-time.After(time.Second):
			log.Println("idle")
		}
	}
}

func (s *Server) Close() { close(s.quit) }

// The stop case breaks out of the select only: the loop goes on (and spins once ctx is done).
func Watch(ctx context.Context, events <-chan string) {
	go func() {
		for { // want "the `break` in `case <-ctx.Done\\(\\):` leaves only the select"
			select {
			case <-ctx.Done():
				break
			case e := <-events:
				log.Println(e)
			}
		}
	}()
}

// A worker that receives without `, ok` from a channel its owner closes: after close it spins.
func Consume(jobs []string) {
	ch := make(chan string)
	go func() {
		for { // want "spins after close: `for \\{` receives from `ch` without `, ok`"
			job := <-ch
			log.Println(job)
		}
	}()
	for _, j := range jobs {
		ch <- j
	}
	close(ch)
}

// The same through a declared function started with go: the parameter's argument is closed.
func drain(in chan int, out func(int)) {
	for { // want "spins after close"
		select {
		case v := <-in:
			out(v)
		}
	}
}

func StartDrain(values []int, out func(int)) {
	in := make(chan int)
	go drain(in, out)
	for _, v := range values {
		in <- v
	}
	close(in)
}

// A done channel closed by Stop, and a loop that only sleeps.
func StartHeartbeat(beat func()) (stop func()) {
	done := make(chan struct{})
	go func() {
		for { // want "never receives from `done`"
			beat()
			time.Sleep(time.Second)
		}
	}()
	return func() { close(done) }
}

// Receiving ctx.Done() without returning: once cancelled, the loop spins.
func Logger(ctx context.Context, lines <-chan string) {
	go func() {
		for { // want "spins after close: .* once `ctx` is cancelled"
			select {
			case <-ctx.Done():
				log.Println("cancelled")
			case l := <-lines:
				log.Println(l)
			}
		}
	}()
}

// An event loop whose input channel is handed to the caller: nothing can ever end it.
func StartBatcher(flush func([]string)) chan<- string {
	items := make(chan string)
	go func() {
		var batch []string
		for { // want "loops forever in `for \\{` with no way out: .* waiting on `items`"
			select {
			case it := <-items:
				batch = append(batch, it)
			case <-time.After(time.Second):
				flush(batch)
				batch = nil
			}
		}
	}()
	return items
}

// A labeled break that names the select, not the loop, stays in the loop: once ctx is
// cancelled, the loop spins.
func Relay(ctx context.Context, in <-chan int, out func(int)) {
	go func() {
		for { // want "spins after close: .* once `ctx` is cancelled"
		sel:
			select {
			case <-ctx.Done():
				break sel
			case v := <-in:
				out(v)
			}
		}
	}()
}

// A method started with go, receiving from a field that Close closes: it spins after Close.
type Mailbox struct {
	in chan string
}

func NewMailbox() *Mailbox {
	m := &Mailbox{in: make(chan string)}
	go m.deliver()
	return m
}

func (m *Mailbox) deliver() {
	for { // want "spins after close: `for \\{` receives from `m.in`"
		msg := <-m.in
		log.Println(msg)
	}
}

func (m *Mailbox) Close() { close(m.in) }

// A func literal receiving through its parameter; the caller closes the argument.
func Tally(words []string) {
	counts := make(chan int)
	go func(in <-chan int) {
		total := 0
		for { // want "spins after close: `for \\{` receives from `in`"
			total += <-in
			log.Println(total)
		}
	}(counts)
	for _, w := range words {
		counts <- len(w)
	}
	close(counts)
}

// A done parameter the caller closes, and a ticker loop that never looks at it.
func tick(done <-chan struct{}, f func()) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for range t.C { // want "`for range t.C` .* never receives from `done`"
		f()
	}
}

func RunTicks(f func()) (stop func()) {
	done := make(chan struct{})
	go tick(done, f)
	return func() { close(done) }
}

// A heartbeat owned by a session, started through the session's field: its ticker loop never
// looks at the stop channel that Stop closes.
type heartbeat struct {
	ticker *time.Ticker
	stop   chan struct{}
	beats  int
}

func (h *heartbeat) run() {
	for range h.ticker.C { // want "goroutine loops forever in `for range h.ticker.C` \\(no return or break\\) and never receives from `h.stop`"
		h.beats++
	}
}

func (h *heartbeat) Stop() {
	h.ticker.Stop()
	close(h.stop)
}

type session struct {
	hb *heartbeat
}

func newSession() *session {
	s := &session{hb: &heartbeat{ticker: time.NewTicker(time.Second), stop: make(chan struct{})}}
	go s.hb.run()
	return s
}

// An event loop started through a method value kept in a field.
type relay struct {
	in    chan string
	quit  chan struct{}
	serve func()
}

func newRelay() *relay {
	r := &relay{in: make(chan string), quit: make(chan struct{})}
	r.serve = r.loop
	go r.serve()
	return r
}

func (r *relay) loop() {
	for { // want "the `break` in `case <-r.quit:` leaves only the select"
		select {
		case m := <-r.in:
			println(m)
		case <-r.quit:
			break
		}
	}
}

func (r *relay) Close() { close(r.quit) }
