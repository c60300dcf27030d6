// Package lostcancel runs a lookup under a deadline derived from the caller's context.
//
// The leak: context.WithTimeout registers the new context with its parent and arms a timer;
// both are released by calling cancel (or when the deadline passes). On the early-return
// path below cancel is never called, so every call that takes it leaves a timer and a child
// context hanging off the parent until the timeout fires; with a long-lived parent and a long
// timeout they pile up. (go vet's lostcancel check reports this one too.)
package lostcancel

import (
	"context"
	"errors"
	"time"
)

// Lookup queries a backend.
type Lookup func(ctx context.Context, key string) (string, error)

var errEmptyKey = errors.New("empty key")

// GetLeaky loses cancel when the key is empty.
func GetLeaky(parent context.Context, key string, lookup Lookup) (string, error) {
	ctx, cancel := context.WithTimeout(parent, time.Minute)
	if key == "" {
		return "", errEmptyKey // cancel is never called on this path
	}
	defer cancel()
	return lookup(ctx, key)
}

// GetFixed defers cancel right after creating the context, so every path calls it.
func GetFixed(parent context.Context, key string, lookup Lookup) (string, error) {
	ctx, cancel := context.WithTimeout(parent, time.Minute)
	defer cancel()
	if key == "" {
		return "", errEmptyKey
	}
	return lookup(ctx, key)
}
