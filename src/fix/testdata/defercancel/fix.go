// Package defercancel: cancel funcs lost on a path or discarded.
package defercancel

import (
	"context"
	"errors"
	"time"
)

var errEmpty = errors.New("empty")

// Get loses cancel on the early return.
func Get(parent context.Context, key string, lookup func(context.Context, string) error) error {
	ctx, cancel := context.WithTimeout(parent, time.Minute)
	if key == "" {
		return errEmpty
	}
	defer cancel()
	return lookup(ctx, key)
}

// Discard throws the cancel away.
func Discard(parent context.Context, lookup func(context.Context) error) error {
	ctx, _ := context.WithTimeout(parent, time.Second)
	return lookup(ctx)
}
