package fixtures

import (
	"context"
	"errors"
	"net/http"
	"time"
)

type result struct {
	body string
	err  error
}

func fetch(url string) result { return result{body: url} }

// First response wins: one receive, len(urls) senders.
func fastest(urls []string) result {
	ch := make(chan result)
	for _, u := range urls {
		go func(u string) {
			ch <- fetch(u) // want "a goroutine started in a loop sends on unbuffered channel `ch`, but only one value is received"
		}(u)
	}
	return <-ch
}

// Three go statements, one receive.
func firstOfThree() string {
	ch := make(chan string)
	go func() { ch <- "a" }() // want "3 goroutines send on unbuffered channel `ch`, but only one value is received"
	go func() { ch <- "b" }()
	go func() { ch <- "c" }()
	return <-ch
}

// A buffer smaller than the number of senders.
func firstOfThreeSmallBuffer() string {
	ch := make(chan string, 1)
	go func() { ch <- "a" }() // want "3 goroutines send on channel `ch` \\(buffer 1\\)"
	go func() { ch <- "b" }()
	go func() { ch <- "c" }()
	return <-ch
}

// The classic timeout leak.
func withTimeout(url string) (result, error) {
	ch := make(chan result)
	go func() {
		ch <- fetch(url) // want "goroutine sends on unbuffered channel `ch`, but the receiver returns on `<-time.After\\(time.Second\\)`"
	}()
	select {
	case r := <-ch:
		return r, nil
	case <-time.After(time.Second):
		return result{}, errors.New("timeout")
	}
}

// The receiver gives up on ctx.Done().
func withContext(ctx context.Context, req *http.Request) (*http.Response, error) {
	type answer struct {
		resp *http.Response
		err  error
	}
	done := make(chan answer)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		done <- answer{resp, err} // want "receiver returns on `<-ctx.Done\\(\\)`"
	}()
	select {
	case a := <-done:
		return a.resp, a.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// A polling receive that moves on in the default case.
func poll() {
	ch := make(chan int)
	go func() { ch <- 42 }() // want "moves on after the default case"
	select {
	case v := <-ch:
		println(v)
	default:
	}
}

// First error wins: the collector returns on the first error, later senders block.
func firstError(jobs []string) error {
	errc := make(chan error)
	for _, j := range jobs {
		go func(j string) {
			errc <- run(j) // want "the receiver returns from its receive loop early"
		}(j)
	}
	for range jobs {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

func run(string) error { return nil }

// A producer keeps sending while the consumer breaks out of its range.
func firstBig(xs []int) int {
	ch := make(chan int)
	go func() {
		for _, x := range xs {
			ch <- x // want "breaks out of its receive loop early"
		}
		close(ch)
	}()
	found := -1
	for v := range ch {
		if v > 100 {
			found = v
			break
		}
	}
	return found
}

// The sender is a same-package function started with go: reported at the go statement.
func worker(u string, out chan<- result) {
	out <- fetch(u)
}

func fastestWorker(urls []string) result {
	out := make(chan result)
	for _, u := range urls {
		go worker(u, out) // want "a goroutine started in a loop sends on unbuffered channel `out`"
	}
	return <-out
}

// A generator whose goroutine cannot stop, ranged over by a loop that returns early.
func numbers(n int) <-chan int {
	ch := make(chan int)
	go func() {
		for i := 0; i < n; i++ {
			ch <- i // want "channel returned by `numbers` without a cancellation case"
		}
		close(ch)
	}()
	return ch
}

func firstEven(n int) int {
	for v := range numbers(n) {
		if v%2 == 0 {
			return v
		}
	}
	return -1
}

func firstOdd(n int) int {
	nums := numbers(n)
	for v := range nums {
		if v%2 == 1 {
			return v
		}
	}
	return -1
}

// A loop over a select that returns on the first value of many.
func firstInLoop(urls []string) result {
	ch := make(chan result)
	for _, u := range urls {
		go func(u string) { ch <- fetch(u) }(u) // want "a goroutine started in a loop sends on unbuffered channel `ch`.*returns from its receive loop early"
	}
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case r := <-ch:
			return r
		case <-tick.C:
		}
	}
}

// A loop that may leave before its single receive.
func maybeNever(url string, skip func() bool) result {
	ch := make(chan result)
	go func() { ch <- fetch(url) }() // want "returns from its receive loop early"
	for {
		if skip() {
			return result{}
		}
		return <-ch
	}
}

// The seed's first example: the goroutine's result is never received.
func startLookup(host string) {
	addrs := make(chan []string)
	go func() {
		addrs <- []string{host} // want "goroutine sends on unbuffered channel `addrs`, but nothing ever receives from it"
	}()
	println("lookup started")
}

// A watcher whose channel the caller drops.
type Watcher struct{ path string }

func (w *Watcher) changes() <-chan string {
	out := make(chan string)
	go func() {
		for {
			out <- w.path
			time.Sleep(time.Second)
		}
	}()
	return out
}

func (w *Watcher) Start() {
	w.changes() // want "the channel `changes` returns is dropped here, but its goroutine sends on it"
}

// A server whose request loop stops on Close: Submit after Close blocks forever.
type request struct{ key string }

type Server struct {
	reqs chan request
	quit chan struct{}
}

func NewServer() *Server {
	s := &Server{reqs: make(chan request), quit: make(chan struct{})}
	go s.loop()
	return s
}

func (s *Server) loop() {
	for {
		select {
		case r := <-s.reqs:
			println(r.key)
		case <-s.quit:
			return
		}
	}
}

func (s *Server) Submit(key string) {
	s.reqs <- request{key: key} // want "sends on the `.reqs` field of `Server`, but its only receiver is a loop that can exit"
}

func (s *Server) Close() { close(s.quit) }

// The in-flight limit is a named constant smaller than the number of workers.
const (
	workers     = 4
	maxInflight = 2
)

func fastestOfWorkers(url string) result {
	ch := make(chan result, maxInflight)
	for i := 0; i < workers; i++ {
		go func() {
			ch <- fetch(url) // want "4 goroutines send on channel `ch` \\(buffer maxInflight\\), but only one value is received"
		}()
	}
	return <-ch
}

// The function sends before the receiving goroutine exists.
func publishFirst(msgs []string) {
	out := make(chan string)
	out <- "hello" // want "function sends on unbuffered channel `out` before it starts the goroutine that receives from it"
	go func() {
		for m := range out {
			println(m)
		}
	}()
	for _, m := range msgs {
		out <- m
	}
	close(out)
}

// Events are published to a field nothing in the package receives from.
type Bus struct {
	events chan string
}

func NewBus() *Bus { return &Bus{events: make(chan string)} }

func (b *Bus) Emit(e string) {
	go func() {
		b.events <- e // want "sends on the `.events` field of `Bus`, an unbuffered channel nothing in the package ever receives from"
	}()
}

// The decoder hands messages to the session loop, which returns when either side reports an
// error: after an encoder error, a decoder holding a message blocks on its send forever.
func session(decode func() (string, error), encode func() error) {
	in := make(chan string)
	errc := make(chan error, 2)
	go func() {
		for {
			m, err := decode()
			if err != nil {
				errc <- err
				return
			}
			in <- m // want "goroutine sends on unbuffered channel `in`, but the receiver returns on `<-errc`"
		}
	}()
	go func() {
		if err := encode(); err != nil {
			errc <- err
		}
	}()
	for {
		select {
		case m := <-in:
			println(m)
		case err := <-errc:
			println(err.Error())
			return
		}
	}
}

// A generator method, ranged over by a loop that returns at the first match.
type listing struct{ names []string }

func (l *listing) each() <-chan string {
	out := make(chan string)
	go func() {
		defer close(out)
		for _, n := range l.names {
			out <- n // want "channel returned by `l.each` without a cancellation case"
		}
	}()
	return out
}

func (l *listing) first(prefix string) string {
	for n := range l.each() {
		if len(n) >= len(prefix) && n[:len(prefix)] == prefix {
			return n
		}
	}
	return ""
}

// First error wins over a buffer of one: every sender after the first two blocks.
func checkAll(hosts []string, ping func(string) error) error {
	errc := make(chan error, 1)
	for _, h := range hosts {
		go func(h string) {
			errc <- ping(h) // want "a goroutine started in a loop sends on channel `errc` \\(buffer 1\\), but the receiver returns"
		}(h)
	}
	for range hosts {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}
