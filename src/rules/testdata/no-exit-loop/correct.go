package fixtures

import (
	"context"
	"errors"
	"log"
	"net"
	"net/http"
	"os"
	"sync"
	"time"
	"os/signal"
)

// Ticker loop with a stop case and defer ticker.Stop().
func StartFlusherOK(ctx context.Context, flush func()) {
	go func() {
		ticker := time.NewTicker(time.Second)
		defer ticker.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-ticker.C:
				flush()
			}
		}
	}()
}

// Labeled break out of the loop from the stop case.
func WatchOK(ctx context.Context, events <-chan string) {
	go func() {
	loop:
		for {
			select {
			case <-ctx.Done():
				break loop
			case e := <-events:
				log.Println(e)
			}
		}
		log.Println("watch ended")
	}()
}

// A range over a channel ends when the channel is closed.
func ConsumeOK(jobs []string) {
	ch := make(chan string)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for job := range ch {
			log.Println(job)
		}
	}()
	for _, j := range jobs {
		ch <- j
	}
	close(ch)
	wg.Wait()
}

// Receiving with `, ok` and returning on close.
func ConsumeOK2(values []int) {
	ch := make(chan int)
	go func() {
		for {
			v, ok := <-ch
			if !ok {
				return
			}
			log.Println(v)
		}
	}()
	for _, v := range values {
		ch <- v
	}
	close(ch)
}

// Worker pool with Close: workers range over the jobs channel, Close closes it and waits.
type Pool struct {
	jobs chan func()
	wg   sync.WaitGroup
}

func NewPool(n int) *Pool {
	p := &Pool{jobs: make(chan func())}
	for i := 0; i < n; i++ {
		p.wg.Add(1)
		go p.worker()
	}
	return p
}

func (p *Pool) worker() {
	defer p.wg.Done()
	for job := range p.jobs {
		job()
	}
}

func (p *Pool) Close() {
	close(p.jobs)
	p.wg.Wait()
}

// Service with a stop channel consulted by the loop.
type Service struct {
	stop chan struct{}
	tick time.Duration
}

func NewService(d time.Duration) *Service {
	s := &Service{stop: make(chan struct{}), tick: d}
	go s.loop()
	return s
}

func (s *Service) loop() {
	ticker := time.NewTicker(s.tick)
	defer ticker.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-ticker.C:
			log.Println("tick")
		}
	}
}

func (s *Service) Stop() { close(s.stop) }

// An accept loop returns when Accept fails (the listener was closed).
func Serve(ln net.Listener, handle func(net.Conn)) {
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go handle(conn)
		}
	}()
}

// http.Server with Shutdown on context cancellation.
func RunHTTP(ctx context.Context, srv *http.Server) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	select {
	case <-ctx.Done():
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return srv.Shutdown(shutdownCtx)
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	}
}

// A loop that leaves through log.Fatal, os.Exit or panic.
func Supervise(ctx context.Context, healthy func() bool) {
	go func() {
		for {
			if !healthy() {
				log.Fatal("unhealthy")
			}
			time.Sleep(time.Second)
		}
	}()
	go func() {
		for range time.Tick(time.Minute) {
			if !healthy() {
				os.Exit(3)
			}
		}
	}()
	go func() {
		for {
			if !healthy() {
				panic("unhealthy")
			}
			time.Sleep(time.Second)
		}
	}()
}

// A daemon with no stop mechanism anywhere in reach: bare-go's business, not this rule's.
func StartJanitor(clean func()) {
	go func() {
		for range time.Tick(time.Minute) {
			clean()
		}
	}()
}

// A context that can never be cancelled is not a stop signal.
func StartBackground(clean func()) {
	ctx := context.Background()
	_ = ctx
	go func() {
		for range time.Tick(time.Minute) {
			clean()
		}
	}()
}

// The loop passes ctx on: the callee may consult it; stay quiet.
func StartWorker(ctx context.Context, step func(context.Context) error) {
	go func() {
		for {
			if err := step(ctx); err != nil {
				return
			}
		}
	}()
}

// The optional-timeout select with a return on ctx.Done().
func WaitAll(ctx context.Context, results <-chan int, d time.Duration) {
	go func() {
		var timeout <-chan time.Time
		if d > 0 {
			timeout = time.After(d)
		}
		for {
			select {
			case <-ctx.Done():
				return
			case <-timeout:
				return
			case r := <-results:
				log.Println(r)
			}
		}
	}()
}

// The nil-channel idiom: disable a case once its channel is closed, return when both are.
func Merge(a, b <-chan int, out chan<- int) {
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
}

// A continue to an outer loop leaves the inner endless loop.
func Retry(ctx context.Context, try func() error) {
	go func() {
	outer:
		for attempt := 0; attempt < 3; attempt++ {
			for {
				if try() == nil {
					continue outer
				}
				time.Sleep(time.Second)
			}
		}
	}()
}

// Daemons started from main's package init live for the whole program.
func init() {
	ctx, cancel := context.WithCancel(context.Background())
	_ = cancel
	_ = ctx
	go func() {
		for range time.Tick(time.Hour) {
			log.Println("hourly")
		}
	}()
}

// A process-wide runner on package-level channels, started once: a singleton daemon.
var requests = make(chan func())

var startRunner sync.Once

func Submit(f func()) {
	startRunner.Do(func() {
		go func() {
			for {
				job := <-requests
				job()
			}
		}()
	})
	requests <- f
}

// A lazily started process-wide worker on a local channel, started once.
var (
	auditOnce  sync.Once
	auditQueue chan<- string
)

func Audit(line string) {
	auditOnce.Do(func() {
		q := make(chan string, 64)
		auditQueue = q
		go func() {
			for {
				select {
				case l := <-q:
					log.Println(l)
				case <-time.After(time.Minute):
					log.Println("audit idle")
				}
			}
		}()
	})
	auditQueue <- line
}

// A goroutine that swallows interrupts for the life of the process: it waits only for OS
// signals, even though a done channel is in reach.
func serveIgnoringInterrupts(done chan struct{}, serve func()) {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt)
	go func() {
		for {
			<-sigs
			println("interrupt ignored")
		}
	}()
	go serve()
	<-done
}

// A poller that waits only on a timer kept in a local: no stop mechanism in reach, which is
// the opt-in bare-go's business, not an event loop that ignores its input.
func pollForever(check func()) {
	go func() {
		for {
			next := time.After(time.Second)
			check()
			<-next
		}
	}()
}
