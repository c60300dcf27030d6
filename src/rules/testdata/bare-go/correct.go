package fixtures

import (
	"context"
	"errors"
	"log"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// A context stops the loop.
func RunWithContext(ctx context.Context, work func()) {
	go func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				work()
			}
		}
	}()
}

// A context passed as an argument to the goroutine function.
func pollUntilCancelled(ctx context.Context, work func()) {
	for {
		if ctx.Err() != nil {
			return
		}
		work()
		time.Sleep(time.Second)
	}
}

func StartPolling(ctx context.Context, work func()) {
	go pollUntilCancelled(ctx, work)
}

// A done channel owned by a struct with Close.
type Janitor struct {
	done chan struct{}
	wg   sync.WaitGroup
}

func (j *Janitor) loop() {
	defer j.wg.Done()
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		select {
		case <-j.done:
			return
		case <-t.C:
		}
	}
}

func NewJanitor() *Janitor {
	j := &Janitor{done: make(chan struct{})}
	j.wg.Add(1)
	go j.loop()
	return j
}

func (j *Janitor) Close() {
	close(j.done)
	j.wg.Wait()
}

// Ranging over a channel ends when the channel is closed.
func StartConsumer(jobs <-chan int, handle func(int)) {
	go func() {
		for j := range jobs {
			handle(j)
		}
	}()
}

// A receive in the loop: the channel rules judge whether it is ever fed or closed.
func StartReader(in chan string) {
	go func() {
		for {
			s, ok := <-in
			if !ok {
				return
			}
			log.Println(s)
		}
	}()
}

// A WaitGroup tracks it; the loop ends on an error.
func StartWorker(wg *sync.WaitGroup, step func() error) {
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			if err := step(); err != nil {
				return
			}
		}
	}()
}

// An atomic stop flag and a return.
type Flagged struct{ stopped atomic.Bool }

func (f *Flagged) Start(work func()) {
	go func() {
		for {
			if f.stopped.Load() {
				return
			}
			work()
		}
	}()
}

// An accept loop that returns once the listener is closed.
func ServeUntilClosed(l net.Listener, handle func(net.Conn)) {
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				if errors.Is(err, net.ErrClosed) {
					return
				}
				continue
			}
			go handle(conn)
		}
	}()
}

// A labeled break leaves the outer loop.
func StartLabeled(next func() bool) {
	go func() {
	outer:
		for {
			for next() {
				if !next() {
					break outer
				}
			}
		}
	}()
}

// A fatal call ends the program.
func StartWatchdog(healthy func() bool) {
	go func() {
		for {
			if !healthy() {
				log.Fatal("unhealthy")
			}
			time.Sleep(time.Second)
		}
	}()
}

// One-shot goroutines end by themselves.
func LogAsync(msg string) {
	go log.Println(msg)
	go func() {
		for i := 0; i < 3; i++ {
			log.Println(msg, i)
		}
	}()
}

// A loop with a condition can end.
func StartRetries(try func() bool) {
	go func() {
		for !try() {
			time.Sleep(time.Second)
		}
	}()
}

// A goroutine started from main or init lives as long as the program, by design.
func init() {
	go func() {
		for {
			time.Sleep(time.Hour)
			log.Println("still here")
		}
	}()
}

// The goroutine's code is in another package: nothing to see.
func StartExternal() {
	go os.Exit(0)
}

// A nested goroutine's endless loop is reported at its own go statement, not the outer one.
func StartOuter(in chan int) {
	go func() {
		v := <-in
		go func(n int) {
			for n > 0 {
				n--
			}
		}(v)
	}()
}

// A goroutine started once per process, by design.
var startOnce sync.Once

func EnsureSweeper(sweep func()) {
	startOnce.Do(func() {
		go func() {
			for {
				time.Sleep(time.Minute)
				sweep()
			}
		}()
	})
}

// A labeled continue leaves the inner endless loop for the next round of a bounded outer one.
func StartRetry(try func() error) {
	go func() {
	attempts:
		for i := 0; i < 3; i++ {
			for {
				if try() == nil {
					continue attempts
				}
				time.Sleep(time.Second)
			}
		}
	}()
}

// A done channel parameter of the literal, even unused: its author chose the stop mechanism.
func StartWithDoneParam(work func()) {
	go func(done <-chan struct{}) {
		for {
			work()
			time.Sleep(time.Second)
		}
	}(nil)
}

// A named function whose context parameter is unused: the caller handed it one, stay quiet.
func runIgnoringContext(ctx context.Context, work func()) {
	for {
		work()
		time.Sleep(time.Second)
	}
}

func StartIgnoring(work func()) {
	go runIgnoringContext(nil, work)
}
