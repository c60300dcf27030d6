package fixtures

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// Made before use.
func Made() int {
	ch := make(chan int, 1)
	go func() { ch <- 1 }()
	return <-ch
}

// Declared with var, then made on the straight path before use.
func MadeLater(n int) int {
	var ch chan int
	ch = make(chan int, n)
	for i := 0; i < n; i++ {
		ch <- i
	}
	close(ch)
	sum := 0
	for v := range ch {
		sum += v
	}
	return sum
}

// Made in both branches of an if/else.
func MadeBothWays(buffered bool) chan int {
	var ch chan int
	if buffered {
		ch = make(chan int, 8)
	} else {
		ch = make(chan int)
	}
	go func() { ch <- 1 }()
	return ch
}

// Lazy initialisation tests the channel itself.
type Lazy struct {
	mu sync.Mutex
	ch chan int
}

func (l *Lazy) C() chan int {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ch == nil {
		l.ch = make(chan int)
	}
	return l.ch
}

func (l *Lazy) Send(v int) { l.C() <- v }

func LazyLocal(items []int) {
	var ch chan int
	if ch == nil {
		ch = make(chan int, len(items))
	}
	for _, it := range items {
		ch <- it
	}
}

// The optional-timeout idiom: a nil channel in a select with other cases never fires.
func WithOptionalTimeout(d time.Duration, work <-chan int) (int, error) {
	var timeout <-chan time.Time
	if d > 0 {
		timeout = time.After(d)
	}
	select {
	case <-timeout:
		return 0, errors.New("timeout")
	case v := <-work:
		return v, nil
	}
}

// The nil-channel idiom: disable a select case once its channel is closed.
func Merge(a, b <-chan int) <-chan int {
	out := make(chan int)
	go func() {
		defer close(out)
		for a != nil || b != nil {
			select {
			case v, ok := <-a:
				if !ok {
					a = nil
					continue
				}
				out <- v
			case v, ok := <-b:
				if !ok {
					b = nil
					continue
				}
				out <- v
			}
		}
	}()
	return out
}

// An optional output channel that is only used when it was made.
func MaybeReport(verbose bool, items []string) {
	var report chan string
	if verbose {
		report = make(chan string, len(items))
	}
	for _, it := range items {
		if report != nil {
			report <- it
		}
	}
}

// Made under a condition, but the function returns early on the other path.
func EarlyReturn(enabled bool) {
	var events chan int
	if enabled {
		events = make(chan int, 1)
	}
	if !enabled {
		return
	}
	events <- 1
}

// A channel from a call, a parameter or a field set in the constructor.
type Hub struct {
	ctx     context.Context
	in      chan string
	done    chan struct{}
	pending chan int
}

func NewHub(ctx context.Context) *Hub {
	h := &Hub{ctx: ctx, in: make(chan string), done: make(chan struct{})}
	h.pending = make(chan int, 16)
	go h.loop()
	return h
}

func (h *Hub) loop() {
	defer close(h.done)
	for {
		select {
		case <-h.ctx.Done():
			return
		case s := <-h.in:
			fmt.Println(s)
		case n := <-h.pending:
			fmt.Println(n)
		}
	}
}

func (h *Hub) Wait() { <-h.done }

func FromParam(ch chan int) int { return <-ch }

func FromCall(open func() chan int) int {
	ch := open()
	return <-ch
}

// A field set through a positional literal.
type pair struct {
	left, right chan int
}

func newPair() pair { return pair{make(chan int, 1), make(chan int, 1)} }

func (p pair) swap() { p.right <- <-p.left }

// A field set through its address.
type slot struct{ c chan error }

func fill(dst *chan error) { *dst = make(chan error, 1) }

func newSlot() *slot {
	s := &slot{}
	fill(&s.c)
	return s
}

func (s *slot) wait() error { return <-s.c }

// An exported field may be set by other packages.
type Options struct {
	Events chan string
}

func (o *Options) Emit(e string) { o.Events <- e }

// Worker pool with Close.
type Pool struct {
	jobs chan func()
	wg   sync.WaitGroup
}

func NewPool(n int) *Pool {
	p := &Pool{jobs: make(chan func())}
	for i := 0; i < n; i++ {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			for job := range p.jobs {
				job()
			}
		}()
	}
	return p
}

func (p *Pool) Close() {
	close(p.jobs)
	p.wg.Wait()
}

// http.Server with Shutdown, context-driven.
func Run(ctx context.Context, srv *http.Server) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	select {
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		return srv.Shutdown(sctx)
	case err := <-errc:
		return err
	}
}

// A package variable made in init.
var ready chan struct{}

func init() { ready = make(chan struct{}) }

func WaitReady() { <-ready }

// A package variable with a value.
var ticks = make(chan int, 1)

func Tick() { ticks <- 1 }

// A nil channel in a select with a default: a non-blocking probe.
func Probe() bool {
	var c chan int
	select {
	case <-c:
		return true
	default:
		return false
	}
}

// Address taken: something else may make it.
func ByPointer(init func(*chan int)) int {
	var ch chan int
	init(&ch)
	return <-ch
}

// Made in every case of a switch.
func BySwitch(mode int) chan int {
	var ch chan int
	switch mode {
	case 0:
		ch = make(chan int)
	default:
		ch = make(chan int, mode)
	}
	go func() { ch <- 1 }()
	return ch
}

// Made under a condition, but the else branch leaves.
func OrReturn(ok bool) int {
	var ch chan int
	if ok {
		ch = make(chan int, 1)
		ch <- 1
	} else {
		return 0
	}
	return <-ch
}

// Made under a condition, waited for only when it was made.
func MaybeAsync(async bool, work func()) {
	var done chan struct{}
	if async {
		done = make(chan struct{})
		go func() {
			defer close(done)
			work()
		}()
	} else {
		work()
	}
	if done != nil {
		<-done
	}
}

// Assigned from a multi-value call on the straight path.
func Opened(open func() (chan string, error)) (string, error) {
	var lines chan string
	var err error
	lines, err = open()
	if err != nil {
		return "", err
	}
	return <-lines, nil
}

// A field set by position in a literal nested in a map literal.
type route struct {
	name string
	out  chan string
}

var routes = map[string]route{
	"log": {"log", make(chan string, 8)},
}

func Send(name string, msg string) {
	var r route = routes[name]
	r.out <- msg
}

// Fields set in functions whose text holds no channel token at all: the scanner does not
// copy such bodies, and must still see that they set the field.
type source struct {
	items    chan string
	from, to chan int
}

type feed struct {
	name  string
	items chan string
}

func newFeed(name string, src *source) *feed {
	return &feed{name: name, items: src.items}
}

func (f *feed) next() string { return <-f.items }

type relay struct {
	from, to chan int
}

func newRelay(s *source) relay { return relay{s.from, s.to} }

func (r relay) pass() { r.to <- <-r.from }

type mailbox struct{ box chan string }

func (m *mailbox) attach(s *source) { m.box = s.items }

func (m *mailbox) take() string { return <-m.box }

// A package-level table long enough for the scanner to skip parsing it; its positional
// elements still set the channel fields.
type lane struct {
	name  string
	inbox chan string
}

var lanes = []lane{
	{"alpha", shared.items},
	{"beta", shared.items},
	{"gamma", shared.items},
	{"delta", shared.items},
	{"epsilon", shared.items},
	{"zeta", shared.items},
	{"eta", shared.items},
	{"theta", shared.items},
	{"iota", shared.items},
	{"kappa", shared.items},
}

var shared = &source{}

func (l lane) send() { l.inbox <- l.name }

// The option also decides whether the goroutine starts.
type CacheOptions struct{ Metrics bool }

type Cache struct {
	hits chan string
}

func NewCache(opts CacheOptions) *Cache {
	c := &Cache{}
	if opts.Metrics {
		c.hits = make(chan string, 16)
		go c.count()
	}
	return c
}

func (c *Cache) count() {
	for k := range c.hits {
		println(k)
	}
}

// The goroutine checks the field before using it.
type Tracer struct{ spans chan string }

func NewTracer(enabled bool) *Tracer {
	t := &Tracer{}
	if enabled {
		t.spans = make(chan string)
	}
	go t.export()
	return t
}

func (t *Tracer) export() {
	if t.spans == nil {
		return
	}
	for s := range t.spans {
		println(s)
	}
}

// Made on both branches: never nil.
type Sink struct{ out chan string }

func NewSink(big bool) *Sink {
	s := &Sink{}
	if big {
		s.out = make(chan string, 1024)
	} else {
		s.out = make(chan string, 8)
	}
	go s.flush()
	return s
}

func (s *Sink) flush() {
	for l := range s.out {
		println(l)
	}
}
