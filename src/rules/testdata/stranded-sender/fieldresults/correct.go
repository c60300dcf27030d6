package fieldresults

import (
	"context"
	"fmt"
	"sync/atomic"
)

// A buffer that covers the loop's constant bound: every sender finds room. A reader serves one
// read (the values one call leaves fill the buffer, so an instance called again would leak from
// its second call on; the rule does not count calls and stays silent on a covering buffer).
const shardCount = 4

type ShardReader struct{ parts chan string }

func NewShardReader() *ShardReader { return &ShardReader{parts: make(chan string, shardCount)} }

func (r *ShardReader) FirstShard() string {
	for i := 0; i < shardCount; i++ {
		go r.read(i)
	}
	return <-r.parts
}

func (r *ShardReader) read(i int) { r.parts <- fmt.Sprint("shard", i) }

func readAnyShard() string { return NewShardReader().FirstShard() }

// A buffer sized to the workers by an expression the rule cannot compare with the loop: the
// author sized it, the rule stays silent. One pool per request, as above.
type Pool struct {
	workers []string
	done    chan string
}

func NewPool(workers []string) *Pool {
	return &Pool{workers: workers, done: make(chan string, len(workers))}
}

func (p *Pool) Fastest() string {
	for _, w := range p.workers {
		go func(w string) { p.done <- w }(w)
	}
	return <-p.done
}

func fastestOf(workers []string) string { return NewPool(workers).Fastest() }

// A drain loop takes one value per sender.
type Gatherer struct{ got chan int }

func NewGatherer() *Gatherer { return &Gatherer{got: make(chan int)} }

func (g *Gatherer) Sum(xs []int) int {
	for _, x := range xs {
		go func(x int) { g.got <- x * x }(x)
	}
	total := 0
	for range xs {
		total += <-g.got
	}
	return total
}

// A collector goroutine ranges over the field: it takes every value.
type Indexer struct {
	docs chan string
	seen map[string]bool
}

func NewIndexer() *Indexer {
	ix := &Indexer{docs: make(chan string), seen: map[string]bool{}}
	go ix.collect()
	return ix
}

func (ix *Indexer) collect() {
	for d := range ix.docs {
		ix.seen[d] = true
	}
}

func (ix *Indexer) Add(paths []string) string {
	for _, p := range paths {
		go func(p string) { ix.docs <- p }(p)
	}
	return <-ix.docs
}

// Another method receives the rest: the caller keeps calling Next.
type Crawler struct{ pages chan string }

func NewCrawler() *Crawler { return &Crawler{pages: make(chan string)} }

func (c *Crawler) Start(urls []string) string {
	for _, u := range urls {
		go c.get(u)
	}
	return <-c.pages
}

func (c *Crawler) get(u string) { c.pages <- u }

func (c *Crawler) Next() string { return <-c.pages }

// A run loop of the type receives too (a long-lived consumer).
type Dispatcher struct {
	events chan string
	quit   chan struct{}
}

func NewDispatcher() *Dispatcher {
	d := &Dispatcher{events: make(chan string), quit: make(chan struct{})}
	go d.run()
	return d
}

func (d *Dispatcher) run() {
	for {
		select {
		case e := <-d.events:
			fmt.Println(e)
		case <-d.quit:
			return
		}
	}
}

func (d *Dispatcher) Publish(names []string) string {
	for _, n := range names {
		go func(n string) { d.events <- n }(n)
	}
	return <-d.events
}

// The senders can give up: they select on the context the caller cancels.
type Searcher struct{ hits chan string }

func NewSearcher() *Searcher { return &Searcher{hits: make(chan string)} }

func (s *Searcher) First(ctx context.Context, backends []string) string {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for _, b := range backends {
		go s.query(ctx, b)
	}
	return <-s.hits
}

func (s *Searcher) query(ctx context.Context, backend string) {
	select {
	case s.hits <- backend:
	case <-ctx.Done():
	}
}

// An exported field: code in other packages may receive the rest.
type Feed struct{ Items chan string }

func NewFeed() *Feed { return &Feed{Items: make(chan string)} }

func (f *Feed) Latest(sources []string) string {
	for _, s := range sources {
		go func(s string) { f.Items <- s }(s)
	}
	return <-f.Items
}

// The channel is handed out by a method: its callers may receive the rest.
type Uploader struct{ acks chan int }

func NewUploader() *Uploader { return &Uploader{acks: make(chan int)} }

func (u *Uploader) Acks() <-chan int { return u.acks }

func (u *Uploader) Send(chunks []int) int {
	for _, c := range chunks {
		go func(c int) { u.acks <- c }(c)
	}
	return <-u.acks
}

// The channel is handed to code out of view.
type Relay struct{ out chan string }

func NewRelay(sink func(<-chan string)) *Relay {
	r := &Relay{out: make(chan string)}
	sink(r.out)
	return r
}

func (r *Relay) Forward(msgs []string) string {
	for _, m := range msgs {
		go func(m string) { r.out <- m }(m)
	}
	return <-r.out
}

// A field given a fresh channel per call, sized to the senders.
type Lookup struct{ answers chan string }

func (l *Lookup) Run(keys []string) string {
	l.answers = make(chan string, len(keys))
	for _, k := range keys {
		go func(k string) { l.answers <- k }(k)
	}
	return <-l.answers
}

// One sender per call, the receive takes it: each iteration waits for its own value.
type Stepper struct{ step chan int }

func NewStepper() *Stepper { return &Stepper{step: make(chan int)} }

func (s *Stepper) Run(n int) int {
	total := 0
	for i := 0; i < n; i++ {
		go func(i int) { s.step <- i }(i)
		total += <-s.step
	}
	return total
}

// Only an iteration that matches starts a sender, and only the first match: the count is not
// sure, so the rule stays silent (at most one value is sent here).
type Matcher struct{ match chan string }

func NewMatcher() *Matcher { return &Matcher{match: make(chan string)} }

func (m *Matcher) Find(names []string, want string) string {
	started := false
	for _, n := range names {
		if n == want && !started {
			go func(n string) { m.match <- n }(n)
			started = true
		}
	}
	if !started {
		return ""
	}
	return <-m.match
}

// The sender sends only when it wins the election (one election per Elector): one value, one
// receive.
type Elector struct {
	leader chan int
	won    int32
}

func NewElector() *Elector { return &Elector{leader: make(chan int)} }

func (e *Elector) Elect(ids []int) int {
	for _, id := range ids {
		go func(id int) {
			if atomic.CompareAndSwapInt32(&e.won, 0, 1) {
				e.leader <- id
			}
		}(id)
	}
	return <-e.leader
}

// Makes of different sizes in different places: the capacity is not one number (each is at
// least the batch size, a flush has at most that many parts, and a Batcher flushes once).
type Batcher struct {
	size    int
	flushed chan int
}

func NewBatcher(size int) *Batcher {
	if size > 64 {
		return &Batcher{size: size, flushed: make(chan int, size)}
	}
	return &Batcher{size: size, flushed: make(chan int, 64)}
}

func (b *Batcher) Flush(parts []int) int {
	if len(parts) > b.size {
		parts = parts[:b.size]
	}
	for _, p := range parts {
		go func(p int) { b.flushed <- p }(p)
	}
	return <-b.flushed
}

// Two receivers in two functions: whoever calls the second takes the rest.
type Mailbox struct{ mail chan string }

func NewMailbox() *Mailbox { return &Mailbox{mail: make(chan string)} }

func (m *Mailbox) Fetch(folders []string) string {
	for _, f := range folders {
		go func(f string) { m.mail <- f }(f)
	}
	return <-m.mail
}

func (m *Mailbox) Rest(n int) []string {
	out := make([]string, 0, n)
	for i := 0; i < n; i++ {
		out = append(out, <-m.mail)
	}
	return out
}

// Only the first goroutine to answer sends; the others return before the send. One value, one
// receive (one query per Quorum).
type Quorum struct {
	first    chan string
	answered int32
}

func NewQuorum() *Quorum { return &Quorum{first: make(chan string)} }

func (q *Quorum) Ask(peers []string) string {
	for _, p := range peers {
		go q.ask(p)
	}
	return <-q.first
}

func (q *Quorum) ask(peer string) {
	if atomic.AddInt32(&q.answered, 1) > 1 {
		return
	}
	q.first <- peer
}

// The fan-out is limited by a constant (one replica today): the loop leaves after starting it.
const replicaFanout = 1

type Replicator struct{ acked chan string }

func NewReplicator() *Replicator { return &Replicator{acked: make(chan string)} }

func (r *Replicator) Write(replicas []string) string {
	for i, rep := range replicas {
		if i == replicaFanout {
			break
		}
		go func(rep string) { r.acked <- rep }(rep)
	}
	return <-r.acked
}
