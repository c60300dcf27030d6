// Package pipeabandon streams a report through io.Pipe. The caller reads only the header line and
// returns without closing the pipe's reader, so the writer goroutine blocks in Write forever.
package pipeabandon

import (
	"bufio"
	"fmt"
	"io"
)

type row struct {
	region string
	total  int
}

// Report renders rows as text.
type Report struct {
	rows []row
}

// Stream returns the rendered report; it is written while it is read.
func (r *Report) Stream() io.Reader {
	pr, pw := io.Pipe()
	go func() { // leak-go
		fmt.Fprintln(pw, "region\ttotal")
		for _, x := range r.rows {
			fmt.Fprintf(pw, "%s\t%d\n", x.region, x.total) // leak: select
		}
		pw.Close()
	}()
	return pr
}

// Header returns the first line of the report.
func (r *Report) Header() string {
	sc := bufio.NewScanner(r.Stream())
	if sc.Scan() {
		return sc.Text()
	}
	return ""
}

func Run() {
	rep := &Report{rows: []row{{"eu", 10}, {"us", 20}, {"ap", 5}}}
	fmt.Println(rep.Header())
}
