// Package defercancel calls a pricing backend with a per-request deadline: the cancel function
// is deferred right after WithTimeout, and the backend goroutine sends inside a select on the
// context, so it returns when the caller stops waiting.
package defercancel

import (
	"context"
	"errors"
	"fmt"
	"time"
)

type quote struct {
	sku   string
	cents int
}

// Pricing asks a backend for quotes.
type Pricing struct {
	backend func(sku string) quote
	timeout time.Duration
}

func (p *Pricing) Quote(parent context.Context, sku string) (quote, error) {
	ctx, cancel := context.WithTimeout(parent, p.timeout)
	defer cancel()
	out := make(chan quote)
	go func() {
		q := p.backend(sku)
		select {
		case out <- q:
		case <-ctx.Done():
		}
	}()
	select {
	case q := <-out:
		return q, nil
	case <-ctx.Done():
		return quote{}, ctx.Err()
	}
}

func Run() {
	p := &Pricing{timeout: 5 * time.Millisecond, backend: func(sku string) quote {
		time.Sleep(20 * time.Millisecond)
		return quote{sku, 999}
	}}
	_, err := p.Quote(context.Background(), "kettle")
	fmt.Println(errors.Is(err, context.DeadlineExceeded))
	p.timeout = time.Second
	fmt.Println(p.Quote(context.Background(), "toaster"))
}
