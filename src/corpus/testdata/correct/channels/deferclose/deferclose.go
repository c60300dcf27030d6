// Package deferclose is an importer that feeds records to a background indexer through a field
// channel. Load closes the channel with defer, so the indexer's range ends on the error path too,
// and Close waits for the indexer.
package deferclose

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
)

type item struct {
	key   string
	count int
}

// Importer indexes the items loaded into it.
type Importer struct {
	items   chan item
	indexed chan struct{}

	mu    sync.Mutex
	index map[string]int
}

func NewImporter() *Importer {
	im := &Importer{items: make(chan item), indexed: make(chan struct{}), index: make(map[string]int)}
	go im.indexLoop()
	return im
}

func (im *Importer) indexLoop() {
	defer close(im.indexed)
	for it := range im.items {
		im.mu.Lock()
		im.index[it.key] += it.count
		im.mu.Unlock()
	}
}

func parse(line string) (item, error) {
	key, n, ok := strings.Cut(line, "=")
	if !ok {
		return item{}, fmt.Errorf("malformed record %q", line)
	}
	count, err := strconv.Atoi(n)
	if err != nil {
		return item{}, err
	}
	return item{key: key, count: count}, nil
}

// Load feeds every record to the indexer and then ends the indexing, whatever happens.
func (im *Importer) Load(records []string) error {
	defer close(im.items)
	for _, r := range records {
		it, err := parse(r)
		if err != nil {
			return err
		}
		im.items <- it
	}
	return nil
}

// Wait returns when the indexer has seen every loaded item.
func (im *Importer) Wait() { <-im.indexed }

func Run() {
	im := NewImporter()
	fmt.Println(im.Load([]string{"a=1", "b=2", "garbage", "c=3"}))
	im.Wait()
}
