package main

import (
	"flag"
	"fmt"
	"os"
	"syscall"
)

// restart replaces the process with a fresh copy of itself: the PID stays, the runtime (goroutine
// IDs, allocation counters) starts over, and the HTTP server listens again on the same address.
func restart(listening string) {
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, "watchsvc: restart:", err)
		os.Exit(1)
	}
	args := []string{os.Args[0]}
	flag.Visit(func(f *flag.Flag) {
		if f.Name != "addr" {
			args = append(args, "-"+f.Name+"="+f.Value.String())
		}
	})
	args = append(args, "-addr="+listening)
	env := append(os.Environ(), restartedEnv+"=1")
	err = syscall.Exec(exe, args, env)
	fmt.Fprintln(os.Stderr, "watchsvc: restart:", err)
	os.Exit(1)
}
