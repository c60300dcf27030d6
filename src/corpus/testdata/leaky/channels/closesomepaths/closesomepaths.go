// Package closesomepaths is an importer: Load parses records and feeds them to a background
// indexer through a field channel, closing the channel at the end. A malformed record makes Load
// return early, before the close, and the indexer ranges over the channel forever.
package closesomepaths

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
	items chan item

	mu    sync.Mutex
	index map[string]int
}

func NewImporter() *Importer {
	im := &Importer{items: make(chan item), index: make(map[string]int)}
	go im.indexLoop() // leak-go
	return im
}

func (im *Importer) indexLoop() {
	for it := range im.items { // leak: chan receive
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

// Load feeds every record to the indexer and then ends the indexing.
func (im *Importer) Load(records []string) error {
	for _, r := range records {
		it, err := parse(r)
		if err != nil {
			return err // leak-site: returns without close(im.items)
		}
		im.items <- it
	}
	close(im.items)
	return nil
}

func Run() {
	im := NewImporter()
	fmt.Println(im.Load([]string{"a=1", "b=2", "garbage", "c=3"}))
}
