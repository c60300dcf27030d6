package fixtures

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"
)

func timerReset(ctx context.Context, in <-chan int) {
	timer := time.NewTimer(time.Minute)
	defer timer.Stop()
	for {
		timer.Reset(time.Minute)
		select {
		case <-ctx.Done():
			return
		case v := <-in:
			fmt.Println(v)
		case <-timer.C:
			fmt.Println("idle")
		}
	}
}

func tickerLoop(ctx context.Context) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Outside a loop the timer is created once.
func waitOnce(in <-chan int) (int, error) {
	select {
	case v := <-in:
		return v, nil
	case <-time.After(time.Second):
		return 0, errors.New("timeout")
	}
}

// Every case returns: the loop runs once per call.
func firstWins(in <-chan int) int {
	for {
		select {
		case v := <-in:
			return v
		case <-time.After(time.Second):
			return -1
		}
	}
}

// A bounded retry loop leaves at most three timers.
func retry(in <-chan int) int {
	for i := 0; i < 3; i++ {
		select {
		case v := <-in:
			return v
		case <-time.After(time.Second):
		}
	}
	return -1
}

// time.After as a plain sleep always fires.
func pace(n int) {
	for i := 0; i < n; {
		<-time.After(time.Millisecond)
		i++
	}
}

func serve(srv *http.Server) error {
	go func() { _ = srv.ListenAndServe() }()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	return srv.Shutdown(ctx)
}
