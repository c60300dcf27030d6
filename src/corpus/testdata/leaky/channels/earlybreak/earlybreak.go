// Package earlybreak walks a directory listing through a generator channel and stops at the
// first match. The generator goroutine has no way to learn that its consumer left, so it blocks
// on the next send.
package earlybreak

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

// walk streams every entry of the index.
func (ix *Index) walk() <-chan entry {
	out := make(chan entry)
	go func() { // leak-go
		defer close(out)
		for _, e := range ix.files {
			out <- e // leak: chan send
		}
	}()
	return out
}

// Find returns the first entry with the given extension.
func (ix *Index) Find(ext string) (entry, bool) {
	for e := range ix.walk() {
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
