// Package pipeclose streams a report through io.Pipe. A caller that stops early closes the
// pipe's reader, which makes the writer's next Write fail, and the writer goroutine returns on
// the error.
package pipeclose

import (
	"bufio"
	"errors"
	"fmt"
	"io"
)

var errDone = errors.New("reader done")

type row struct {
	region string
	total  int
}

// Report renders rows as text.
type Report struct {
	rows []row
}

// Stream returns the rendered report; the caller must close it.
func (r *Report) Stream() io.ReadCloser {
	pr, pw := io.Pipe()
	go func() {
		if _, err := fmt.Fprintln(pw, "region\ttotal"); err != nil {
			pw.CloseWithError(err)
			return
		}
		for _, x := range r.rows {
			if _, err := fmt.Fprintf(pw, "%s\t%d\n", x.region, x.total); err != nil {
				pw.CloseWithError(err)
				return
			}
		}
		pw.Close()
	}()
	return pr
}

// Header returns the first line of the report.
func (r *Report) Header() string {
	rc := r.Stream()
	defer rc.(*io.PipeReader).CloseWithError(errDone)
	sc := bufio.NewScanner(rc)
	if sc.Scan() {
		return sc.Text()
	}
	return ""
}

func Run() {
	rep := &Report{rows: []row{{"eu", 10}, {"us", 20}, {"ap", 5}}}
	fmt.Println(rep.Header())
}
