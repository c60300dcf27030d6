package fixtures

import (
	"context"
	"errors"
	"os"
	"sync"
	"time"
)

// The buffer holds every sender's value: the losers finish without a receiver.
func fastestBuffered(urls []string) result {
	ch := make(chan result, len(urls))
	for _, u := range urls {
		go func(u string) { ch <- fetch(u) }(u)
	}
	return <-ch
}

func firstOfThreeBuffered() string {
	ch := make(chan string, 3)
	go func() { ch <- "a" }()
	go func() { ch <- "b" }()
	go func() { ch <- "c" }()
	return <-ch
}

// Buffer plus receives cover every sender.
func twoOfThree() (string, string) {
	ch := make(chan string, 1)
	go func() { ch <- "a" }()
	go func() { ch <- "b" }()
	go func() { ch <- "c" }()
	return <-ch, <-ch
}

// Counting loop bound equal to the capacity.
func firstOfN(n int) int {
	ch := make(chan int, n)
	for i := 0; i < n; i++ {
		go func(i int) { ch <- i * i }(i)
	}
	return <-ch
}

// One-slot buffer for a single sender: the timeout can no longer strand it.
func withTimeoutBuffered(url string) (result, error) {
	ch := make(chan result, 1)
	go func() { ch <- fetch(url) }()
	select {
	case r := <-ch:
		return r, nil
	case <-time.After(time.Second):
		return result{}, errors.New("timeout")
	}
}

// The sender gives up when the context is cancelled.
func withContextSelect(ctx context.Context, url string) (result, error) {
	ch := make(chan result)
	go func() {
		select {
		case ch <- fetch(url):
		case <-ctx.Done():
		}
	}()
	select {
	case r := <-ch:
		return r, nil
	case <-ctx.Done():
		return result{}, ctx.Err()
	}
}

// A done channel closed on exit releases every sender.
func firstWithDone(urls []string) result {
	ch := make(chan result)
	done := make(chan struct{})
	defer close(done)
	for _, u := range urls {
		go func(u string) {
			select {
			case ch <- fetch(u):
			case <-done:
			}
		}(u)
	}
	return <-ch
}

// Non-blocking send: drop the value when nobody is listening.
func tryNotify(urls []string) {
	ch := make(chan string)
	for _, u := range urls {
		go func(u string) {
			select {
			case ch <- u:
			default:
			}
		}(u)
	}
	select {
	case <-ch:
	case <-time.After(time.Millisecond):
	}
}

// A receiver that drains to close: no early exit.
func sum(xs []int) int {
	ch := make(chan int)
	go func() {
		defer close(ch)
		for _, x := range xs {
			ch <- x
		}
	}()
	total := 0
	for v := range ch {
		total += v
	}
	return total
}

// A counting loop that receives from every sender.
func collectAll(jobs []string) []error {
	errc := make(chan error)
	for _, j := range jobs {
		go func(j string) { errc <- run(j) }(j)
	}
	var errs []error
	for range jobs {
		if err := <-errc; err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// First error wins, with a buffer sized to the jobs.
func firstErrorBuffered(jobs []string) error {
	errc := make(chan error, len(jobs))
	for _, j := range jobs {
		go func(j string) { errc <- run(j) }(j)
	}
	for range jobs {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// errgroup-style fan-in: WaitGroup plus a closer goroutine, drained to the end.
func fanIn(urls []string) []result {
	out := make(chan result)
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Add(1)
		go func(u string) {
			defer wg.Done()
			out <- fetch(u)
		}(u)
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	var all []result
	for r := range out {
		all = append(all, r)
	}
	return all
}

// Results collected with a WaitGroup into a buffered channel.
func collectWaitGroup(urls []string) []result {
	out := make(chan result, len(urls))
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Add(1)
		go func(u string) {
			defer wg.Done()
			out <- fetch(u)
		}(u)
	}
	wg.Wait()
	close(out)
	var all []result
	for r := range out {
		all = append(all, r)
	}
	return all
}

// A break followed by a drain: the producer still finishes.
func firstBigDrained(xs []int) int {
	ch := make(chan int)
	go func() {
		defer close(ch)
		for _, x := range xs {
			ch <- x
		}
	}()
	found := -1
	for v := range ch {
		if v > 100 {
			found = v
			break
		}
	}
	for range ch {
	}
	return found
}

// The producer watches the context; the consumer cancels it when it stops early.
func firstBigCancellable(ctx context.Context, xs []int) int {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ch := make(chan int)
	go func() {
		defer close(ch)
		for _, x := range xs {
			select {
			case ch <- x:
			case <-ctx.Done():
				return
			}
		}
	}()
	for v := range ch {
		if v > 100 {
			return v
		}
	}
	return -1
}

// A cancellable generator: its sends can give up.
func counter(ctx context.Context) <-chan int {
	ch := make(chan int)
	go func() {
		defer close(ch)
		for i := 0; ; i++ {
			select {
			case ch <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	return ch
}

func firstOver(ctx context.Context, limit int) int {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for v := range counter(ctx) {
		if v > limit {
			return v
		}
	}
	return -1
}

// Ranging over a generator to the end.
func allNumbers(n int) []int {
	var out []int
	for v := range numbers(n) {
		out = append(out, v)
	}
	return out
}

// The channel is handed to code we cannot see: stay silent.
func handOff(urls []string, sink func(chan result)) {
	ch := make(chan result)
	for _, u := range urls {
		go func(u string) { ch <- fetch(u) }(u)
	}
	sink(ch)
}

// Worker pool: the pool owner closes the jobs channel and waits.
type pool struct {
	jobs chan string
	wg   sync.WaitGroup
}

func newPool(n int) *pool {
	p := &pool{jobs: make(chan string)}
	for i := 0; i < n; i++ {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			for j := range p.jobs {
				_ = run(j)
			}
		}()
	}
	return p
}

func (p *pool) Close() {
	close(p.jobs)
	p.wg.Wait()
}

// A ticker loop that keeps receiving: the tick case does not leave.
func watch(ctx context.Context) int {
	ch := make(chan int, 1)
	go func() {
		select {
		case ch <- 1:
		case <-ctx.Done():
		}
	}()
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case v := <-ch:
			return v
		case <-t.C:
		}
	}
}

// A loop whose select only leaves through the receive.
func waitLogged(url string) result {
	ch := make(chan result)
	go func() { ch <- fetch(url) }()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case r := <-ch:
			return r
		case <-tick.C:
			println("still waiting")
		}
	}
}

// An endless loop that counts its workers down before leaving.
func superviseAll(n int) error {
	errc := make(chan error)
	for i := 0; i < n; i++ {
		go func() { errc <- run("w") }()
	}
	active := n
	var first error
	for {
		select {
		case err := <-errc:
			if first == nil {
				first = err
			}
			active--
			if active == 0 {
				return first
			}
		}
	}
}

// The timeout case kills the work and then still waits for its result.
func runWithDeadline(wait func() error, kill func()) error {
	tick := time.NewTimer(time.Minute)
	defer tick.Stop()
	done := make(chan error)
	go func() {
		done <- wait()
	}()
	var err error
	select {
	case err = <-done:
	case <-tick.C:
		kill()
		err = <-done
	}
	return err
}

// The goroutine sends either a result or an error, never both: whichever case wins, it is done.
func resultOrError(url string) (result, error) {
	resc := make(chan result)
	errc := make(chan error)
	go func() {
		r := fetch(url)
		if r.err != nil {
			errc <- r.err
			return
		}
		resc <- r
	}()
	select {
	case r := <-resc:
		return r, nil
	case err := <-errc:
		return result{}, err
	}
}

// Two copiers, one receive, and a buffer for the second: the classic proxy.
func proxy(copyIn, copyOut func() error) error {
	errc := make(chan error, 1)
	go func() { errc <- copyIn() }()
	go func() { errc <- copyOut() }()
	return <-errc
}

// Only one of the two goroutines is ever started.
func eitherOr(fast bool) int {
	ch := make(chan int)
	if fast {
		go func() { ch <- 1 }()
	} else {
		go func() { ch <- 2 }()
	}
	return <-ch
}

// Each goroutine sends only when it has something: at most one of them does.
func firstMatch(xs []int) int {
	ch := make(chan int)
	for _, x := range xs {
		go func(x int) {
			if x == 42 {
				ch <- x
			}
		}(x)
	}
	return <-ch
}

// The buffer is sized to the workers through the same named constant.
const parallelism = 4

func fastestSized(url string) result {
	ch := make(chan result, parallelism)
	for i := 0; i < parallelism; i++ {
		go func() { ch <- fetch(url) }()
	}
	return <-ch
}

// Senders give up on the same quit channel that stops the loop.
type Queue struct {
	items chan string
	quit  chan struct{}
}

func NewQueue() *Queue {
	q := &Queue{items: make(chan string), quit: make(chan struct{})}
	go q.run()
	return q
}

func (q *Queue) run() {
	for {
		select {
		case it := <-q.items:
			println(it)
		case <-q.quit:
			return
		}
	}
}

func (q *Queue) Put(it string) bool {
	select {
	case q.items <- it:
		return true
	case <-q.quit:
		return false
	}
}

func (q *Queue) Close() { close(q.quit) }

// A retry loop: each attempt's goroutine is received from before the next one starts, so an
// early return strands nobody even though the buffer holds a single value.
func retry() error {
	errc := make(chan error, 1)
	for i := 0; i < 3; i++ {
		go func() { errc <- run("attempt") }()
		if err := <-errc; err == nil {
			return nil
		}
	}
	return errors.New("all attempts failed")
}

// First response wins, then the process exits: nothing is left to leak.
func lookupAndExit(urls []string) {
	ch := make(chan result)
	for _, u := range urls {
		go func(u string) { ch <- fetch(u) }(u)
	}
	r := <-ch
	println(r.body)
	os.Exit(0)
}

// The receiver is started before the first send.
func publishAfterStart(msgs []string) {
	out := make(chan string)
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

// A returned channel with room for its one value: dropping it strands nobody.
func resolve(host string) <-chan string {
	out := make(chan string, 1)
	go func() { out <- host }()
	return out
}

func prefetch(host string) {
	resolve(host)
}

// A buffered notification channel nobody reads yet: the send never blocks while there is room.
type Cache struct{ evicted chan string }

func NewCache() *Cache { return &Cache{evicted: make(chan string, 1)} }

func (c *Cache) evict(k string) {
	select {
	case c.evicted <- k:
	default:
	}
}

// A synchronous pipe: the writer sends a buffer and then waits for the count, the reader
// receives the buffer and then sends the count. The count's receive is not a case that the
// close can win: after a successful hand-off it always happens.
type pipe struct {
	wrCh chan []byte
	rdCh chan int
	done chan struct{}
}

func newPipe() *pipe {
	return &pipe{wrCh: make(chan []byte), rdCh: make(chan int), done: make(chan struct{})}
}

func (p *pipe) read(b []byte) (int, error) {
	select {
	case bw := <-p.wrCh:
		n := copy(b, bw)
		p.rdCh <- n
		return n, nil
	case <-p.done:
		return 0, errors.New("closed")
	}
}

func (p *pipe) write(b []byte) (n int, err error) {
	for len(b) > 0 {
		select {
		case p.wrCh <- b:
			nw := <-p.rdCh
			b = b[nw:]
			n += nw
		case <-p.done:
			return n, errors.New("closed")
		}
	}
	return n, nil
}

func (p *pipe) close() { close(p.done) }

// A coordinator that leaves its loop only when the last worker has reported: every result
// sender is received from first.
type coordinator struct {
	results chan int
	errs    chan error
}

func newCoordinator() *coordinator {
	return &coordinator{results: make(chan int), errs: make(chan error)}
}

func (c *coordinator) run(workers int) int {
	total := 0
	for {
		select {
		case r := <-c.results:
			total += r
		case <-c.errs:
			workers--
			if workers == 0 {
				return total
			}
		}
	}
}

func (c *coordinator) work(n int) {
	for i := 0; i < n; i++ {
		c.results <- i
	}
	c.errs <- nil
}

func (c *coordinator) start(workers int) int {
	for i := 0; i < workers; i++ {
		go c.work(3)
	}
	return c.run(workers)
}

// The goroutine sends exactly one value on whichever path it ends, and the loop returns on it.
func resync(names []string, listen func(string) error, notes <-chan string) error {
	done := make(chan error)
	go func() {
		for _, n := range names {
			if err := listen(n); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	for {
		select {
		case n, ok := <-notes:
			if !ok {
				notes = nil
			}
			_ = n
		case err := <-done:
			return err
		}
	}
}

// Each request goroutine either sends its error or, on success, closes the success channel:
// when success fires, the goroutine that could still send has taken the other way out.
func twoRequests(first, second func() error, ready <-chan struct{}) error {
	errc := make(chan error)
	go func() {
		errc <- first()
	}()
	success := make(chan struct{})
	go func() {
		<-ready
		if err := second(); err != nil {
			errc <- err
			return
		}
		close(success)
	}()
	if err := <-errc; err != nil {
		return err
	}
	select {
	case err := <-errc:
		return err
	case <-success:
		return nil
	}
}

// Two goroutines may each report one error, the buffer holds one, and the loop returns after
// receiving the first: the other fits in the buffer.
func serveSession(decode, encode func() error, handle func()) {
	errc := make(chan error, 1)
	go func() {
		if err := decode(); err != nil {
			errc <- err
			return
		}
	}()
	go func() {
		if err := encode(); err != nil {
			errc <- err
			return
		}
	}()
	for {
		select {
		case err := <-errc:
			println(err.Error())
			return
		default:
			handle()
		}
	}
}

// A test swaps a ticker's channel for its own: the channel goes into another package's value.
func driveTicker(run func(*time.Ticker)) {
	ticker := time.NewTicker(time.Hour)
	ticker.Stop()
	tickc := make(chan time.Time)
	ticker.C = tickc
	go run(ticker)
	tickc <- time.Now()
}

// A generator method ranged to the end, and one whose sends give up when the caller leaves.
type catalog struct{ names []string }

func (c *catalog) each() <-chan string {
	out := make(chan string)
	go func() {
		defer close(out)
		for _, n := range c.names {
			out <- n
		}
	}()
	return out
}

func (c *catalog) count() int {
	n := 0
	for range c.each() {
		n++
	}
	return n
}

func (c *catalog) eachUntil(done <-chan struct{}) <-chan string {
	out := make(chan string)
	go func() {
		defer close(out)
		for _, n := range c.names {
			select {
			case out <- n:
			case <-done:
				return
			}
		}
	}()
	return out
}

func (c *catalog) first(prefix string) string {
	done := make(chan struct{})
	defer close(done)
	for n := range c.eachUntil(done) {
		if len(n) >= len(prefix) && n[:len(prefix)] == prefix {
			return n
		}
	}
	return ""
}

// First error wins over a buffer sized to the senders: every sender finds room.
func checkAllSized(hosts []string, ping func(string) error) error {
	errc := make(chan error, len(hosts))
	for _, h := range hosts {
		go func(h string) {
			errc <- ping(h)
		}(h)
	}
	for range hosts {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// One goroutine at a time over a buffer of one: each iteration takes its own value before the
// next starts, so an early return leaves nobody behind.
func checkInTurn(hosts []string, ping func(string) error) error {
	errc := make(chan error, 1)
	for _, h := range hosts {
		go func(h string) {
			errc <- ping(h)
		}(h)
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}
