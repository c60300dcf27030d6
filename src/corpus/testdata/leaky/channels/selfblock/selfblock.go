// Package selfblock is an export job that writes a header and the first record into its output
// channel before starting the goroutine that drains it. The channel holds one value, so the
// second send blocks before the drainer exists.
package selfblock

import (
	"fmt"
	"strings"
	"sync"
)

// Export writes rows as CSV lines.
type Export struct {
	rows [][]string
	out  chan string

	mu    sync.Mutex
	lines []string
}

func NewExport(rows [][]string) *Export {
	return &Export{rows: rows}
}

// Start runs the export in the background.
func (e *Export) Start() {
	go e.run() // leak-go
}

func (e *Export) run() {
	e.out = make(chan string, 1)
	e.out <- "id,name"
	for _, r := range e.rows {
		e.out <- strings.Join(r, ",") // leak: chan send
	}
	close(e.out)
	go e.drain()
}

func (e *Export) drain() {
	for line := range e.out {
		e.mu.Lock()
		e.lines = append(e.lines, line)
		e.mu.Unlock()
	}
}

func Run() {
	e := NewExport([][]string{{"1", "ada"}, {"2", "grace"}})
	e.Start()
	fmt.Println("export started")
}
