// Package firsterror fetches a batch of objects in parallel and fails fast on the first error.
// The error channel holds one value; once FetchAll has returned on the first error, the other
// workers fill the buffer and then block on the send for good.
package firsterror

import (
	"errors"
	"fmt"
)

var errUnavailable = errors.New("object store unavailable")

type store interface {
	get(id int) ([]byte, error)
}

type downStore struct{}

func (downStore) get(id int) ([]byte, error) { return nil, errUnavailable }

// Fetcher downloads objects from a store.
type Fetcher struct {
	store store
	cache map[int][]byte
}

func NewFetcher(s store) *Fetcher {
	return &Fetcher{store: s, cache: make(map[int][]byte)}
}

func (f *Fetcher) fetchOne(id int) error {
	_, err := f.store.get(id)
	if err != nil {
		return fmt.Errorf("fetch %d: %w", id, err)
	}
	return nil
}

// FetchAll fetches every id and returns the first error.
func (f *Fetcher) FetchAll(ids []int) error {
	errc := make(chan error, 1)
	for _, id := range ids {
		go func(id int) { // leak-go
			errc <- f.fetchOne(id) // leak: chan send
		}(id)
	}
	for range ids {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

func Run() {
	f := NewFetcher(downStore{})
	fmt.Println(f.FetchAll([]int{1, 2, 3, 4, 5}))
}
