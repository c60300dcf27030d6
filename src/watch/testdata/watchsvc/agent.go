package main

// A gops-protocol agent written from the protocol's description (google/gops cannot be fetched
// offline, and the tests must not depend on it): a TCP listener on 127.0.0.1, its port written
// to a file named after the PID in the config directory, and per connection one command byte,
// the answer, then the connection is closed.

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"runtime/trace"
	"strconv"
	"time"
)

// The command bytes of the gops protocol.
const (
	cmdStackTrace   = 0x1
	cmdGC           = 0x2
	cmdMemStats     = 0x3
	cmdVersion      = 0x4
	cmdHeapProfile  = 0x5
	cmdCPUProfile   = 0x6
	cmdStats        = 0x7
	cmdTrace        = 0x8
	cmdBinaryDump   = 0x9
	cmdSetGCPercent = 0x10
)

func startAgent(configDir string) error {
	if err := os.MkdirAll(configDir, 0o755); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	portFile := filepath.Join(configDir, strconv.Itoa(os.Getpid()))
	if err := os.WriteFile(portFile, []byte(strconv.Itoa(port)), 0o644); err != nil {
		ln.Close()
		return err
	}
	go acceptCommands(ln)
	return nil
}

// acceptCommands serves one connection at a time, as the gops agent does.
func acceptCommands(ln net.Listener) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			fmt.Fprintln(os.Stderr, "gops agent:", err)
			return
		}
		var command [1]byte
		if _, err := io.ReadFull(conn, command[:]); err == nil {
			if err := answer(conn, command[0]); err != nil {
				fmt.Fprintln(os.Stderr, "gops agent:", err)
			}
		}
		conn.Close()
	}
}

func answer(conn net.Conn, command byte) error {
	switch command {
	case cmdStackTrace:
		return pprof.Lookup("goroutine").WriteTo(conn, 2)
	case cmdGC:
		runtime.GC()
		_, err := io.WriteString(conn, "ok")
		return err
	case cmdMemStats:
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		w := bufio.NewWriter(conn)
		fmt.Fprintf(w, "alloc: %d bytes\n", m.Alloc)
		fmt.Fprintf(w, "total-alloc: %d bytes\n", m.TotalAlloc)
		fmt.Fprintf(w, "sys: %d bytes\n", m.Sys)
		fmt.Fprintf(w, "lookups: %d\n", m.Lookups)
		fmt.Fprintf(w, "mallocs: %d\n", m.Mallocs)
		fmt.Fprintf(w, "frees: %d\n", m.Frees)
		fmt.Fprintf(w, "heap-alloc: %d bytes\n", m.HeapAlloc)
		fmt.Fprintf(w, "heap-sys: %d bytes\n", m.HeapSys)
		fmt.Fprintf(w, "heap-objects: %d\n", m.HeapObjects)
		fmt.Fprintf(w, "stack-in-use: %d bytes\n", m.StackInuse)
		fmt.Fprintf(w, "next-gc: when heap-alloc >= %d bytes\n", m.NextGC)
		fmt.Fprintf(w, "num-gc: %d\n", m.NumGC)
		fmt.Fprintf(w, "enable-gc: %v\n", m.EnableGC)
		return w.Flush()
	case cmdVersion:
		_, err := fmt.Fprintln(conn, runtime.Version())
		return err
	case cmdHeapProfile:
		return pprof.WriteHeapProfile(conn)
	case cmdCPUProfile:
		if err := pprof.StartCPUProfile(conn); err != nil {
			return err
		}
		time.Sleep(30 * time.Second)
		pprof.StopCPUProfile()
		return nil
	case cmdStats:
		_, err := fmt.Fprintf(conn, "goroutines: %d\nOS threads: %d\nGOMAXPROCS: %d\nnum CPU: %d\n",
			runtime.NumGoroutine(), pprof.Lookup("threadcreate").Count(), runtime.GOMAXPROCS(0), runtime.NumCPU())
		return err
	case cmdTrace:
		if err := trace.Start(conn); err != nil {
			return err
		}
		time.Sleep(5 * time.Second)
		trace.Stop()
		return nil
	case cmdBinaryDump:
		exe, err := os.Executable()
		if err != nil {
			return err
		}
		f, err := os.Open(exe)
		if err != nil {
			return err
		}
		defer f.Close()
		_, err = io.Copy(conn, f)
		return err
	case cmdSetGCPercent:
		percent, err := binary.ReadVarint(bufio.NewReader(conn))
		if err != nil {
			return err
		}
		previous := debug.SetGCPercent(int(percent))
		_, err = fmt.Fprintf(conn, "New GC percent set to %d. Previous value was %d.\n", percent, previous)
		return err
	}
	return fmt.Errorf("unknown command byte 0x%x", command)
}
