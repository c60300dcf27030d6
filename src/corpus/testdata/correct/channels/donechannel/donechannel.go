// Package donechannel walks a directory listing through a generator channel and stops at the
// first match. The consumer closes a done channel when it leaves (with defer), and the generator
// sends inside a select on it, so it returns instead of blocking.
package donechannel

import (
	"fmt"
	"path"
	"strings"
)

type entry struct {
	name string
	size int64
}

// Index lists the files of a store.
type Index struct {
	files []entry
}

func (ix *Index) walk(done <-chan struct{}) <-chan entry {
	out := make(chan entry)
	go func() {
		defer close(out)
		for _, e := range ix.files {
			select {
			case out <- e:
			case <-done:
				return
			}
		}
	}()
	return out
}

// Find returns the first entry with the given extension.
func (ix *Index) Find(ext string) (entry, bool) {
	done := make(chan struct{})
	defer close(done)
	for e := range ix.walk(done) {
		if strings.EqualFold(path.Ext(e.name), ext) {
			return e, true
		}
	}
	return entry{}, false
}

func Run() {
	ix := &Index{files: []entry{{"a.txt", 10}, {"b.go", 20}, {"c.go", 30}, {"d.md", 5}}}
	e, ok := ix.Find(".go")
	fmt.Println(e.name, ok)
}
