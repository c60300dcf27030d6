package fixtures

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"
)

func cancellable() func() {
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-ctx.Done()
	}()
	return cancel
}

func withDeadline() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	go func() {
		<-ctx.Done()
	}()
}

func fromCaller(ctx context.Context, in <-chan int) {
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case v := <-in:
				fmt.Println(v)
			}
		}
	}()
}

func fromRequest(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	go func() {
		<-ctx.Done()
	}()
}

// Another case also leaves the loop: Done() is not the only exit.
func otherExit(in <-chan int) {
	ctx := context.Background()
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case v, ok := <-in:
				if !ok {
					return
				}
				fmt.Println(v)
			}
		}
	}()
}

// A select that is not in a loop finishes when any case is ready.
func singleSelect(in <-chan int) {
	ctx := context.Background()
	go func() {
		select {
		case <-ctx.Done():
		case <-in:
		}
	}()
}

// Reassigned to a cancellable context before the goroutine starts.
func reassigned() context.CancelFunc {
	ctx := context.Background()
	ctx, cancel := context.WithCancel(ctx)
	go func() {
		<-ctx.Done()
	}()
	return cancel
}

type pool struct {
	wg   sync.WaitGroup
	jobs chan int
}

func (p *pool) run(ctx context.Context) {
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		for {
			select {
			case <-ctx.Done():
				return
			case j := <-p.jobs:
				fmt.Println(j)
			}
		}
	}()
}

func (p *pool) Close() {
	close(p.jobs)
	p.wg.Wait()
}

func serve(srv *http.Server) error {
	go func() { _ = srv.ListenAndServe() }()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	return srv.Shutdown(ctx)
}
