// Command corpus runs one program of the corpus, waits for its goroutines to settle, then writes
// a goroutine dump (runtime.Stack of all goroutines) to stdout. The test that checks the corpus
// (src/corpus/runtime.test.ts) runs every program and reads the dumps.
//
//	corpus [-settle 1s] <program>      e.g. corpus leaky/channels/firstresponse
//	corpus -list
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"sort"
	"time"
)

func main() {
	settle := flag.Duration("settle", time.Second, "longest wait for the program's goroutines to finish before the dump")
	list := flag.Bool("list", false, "print the programs' names and exit")
	flag.Parse()
	if *list {
		names := make([]string, 0, len(programs))
		for name := range programs {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			fmt.Println(name)
		}
		return
	}
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: corpus [-settle DURATION] <program> | corpus -list")
		os.Exit(2)
	}
	run, ok := programs[flag.Arg(0)]
	if !ok {
		fmt.Fprintf(os.Stderr, "corpus: no program %q (see corpus -list)\n", flag.Arg(0))
		os.Exit(2)
	}
	run()
	waitForGoroutines(*settle)
	buf := make([]byte, 1<<20)
	os.Stdout.Write(buf[:runtime.Stack(buf, true)])
}

// waitForGoroutines returns as soon as this goroutine is the only one left, or after max: a
// correct program gets there in a few milliseconds, a leaking one never does.
func waitForGoroutines(max time.Duration) {
	deadline := time.Now().Add(max)
	for runtime.NumGoroutine() > 1 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
}
