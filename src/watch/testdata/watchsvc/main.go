// watchsvc is the service that goroscope watch's tests sample. Flags choose its behaviour:
// a goroutine leaked per request at a known line, a worker pool that grows and shrinks, a set
// of long-lived goroutines that idle, a start-up ramp, a restart, and a gops-protocol agent for
// processes without net/http/pprof. /metrics answers go_goroutines as client_golang would. Standard library only, Go 1.19 and later.
package main

import (
	"flag"
	"fmt"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"runtime"
	"strings"
	"sync/atomic"
	"time"
)

var (
	addr         = flag.String("addr", "127.0.0.1:0", "HTTP address of net/http/pprof and /leak; empty for no HTTP server")
	addrFile     = flag.String("addr-file", "", "file to write the HTTP address to once listening")
	load         = flag.Int("load", 0, "requests per second this service sends to its own /leak handler")
	leakRate     = flag.Int("leak-rate", 0, "goroutines leaked per second without HTTP (for a service with no HTTP server)")
	pool         = flag.Bool("pool", false, "run a worker pool that grows from 4 to 40 workers and back, once a second")
	idle         = flag.Int("idle", 0, "long-lived goroutines that wait for work that never comes")
	warm         = flag.Int("warm", 0, "goroutines started one by one over -warm-for after start, then held (a start-up ramp)")
	warmFor      = flag.Duration("warm-for", time.Second, "how long the start-up ramp takes")
	restartAfter = flag.Int("restart-after", 0, "execute itself again once after serving this many goroutine profiles: same PID and port, fresh runtime")
	gopsDir      = flag.String("gops-dir", "", "start the gops-protocol agent and write its port file into this directory")
	basicAuth    = flag.String("auth", "", "user:password that /debug/pprof/ requires (HTTP basic auth)")
	token        = flag.String("token", "", "value of the ?token= parameter that /debug/pprof/ requires")
)

// restartedEnv marks the process that a restart executed, so that it does not restart again.
const restartedEnv = "WATCHSVC_RESTARTED"

func main() {
	flag.Parse()
	if *gopsDir != "" {
		if err := startAgent(*gopsDir); err != nil {
			fmt.Fprintln(os.Stderr, "watchsvc: gops agent:", err)
			os.Exit(1)
		}
	}
	listening := ""
	if *addr != "" {
		ln, err := net.Listen("tcp", *addr)
		if err != nil {
			fmt.Fprintln(os.Stderr, "watchsvc:", err)
			os.Exit(1)
		}
		listening = ln.Addr().String()
		http.HandleFunc("/leak", leakHandler)
		http.HandleFunc("/metrics", metricsHandler)
		go serve(ln)
		if *addrFile != "" {
			if err := os.WriteFile(*addrFile, []byte(listening), 0o644); err != nil {
				fmt.Fprintln(os.Stderr, "watchsvc:", err)
				os.Exit(1)
			}
		}
	}
	fmt.Printf("watchsvc pid %d listening %q\n", os.Getpid(), listening)
	startIdle(*idle)
	go warmUp(*warm, *warmFor)
	if *pool {
		go runPool()
	}
	if *load > 0 && listening != "" {
		go sendLoad(listening, *load)
	}
	if *leakRate > 0 {
		go leakAtRate(*leakRate)
	}
	if *restartAfter > 0 && os.Getenv(restartedEnv) == "" {
		<-restartNow
		restart(listening)
	}
	select {}
}

// restartNow is closed when the service has served -restart-after goroutine profiles: a restart
// in the middle of a watch, whenever the watch started.
var restartNow = make(chan struct{})

// serve answers /leak and, behind the optional credentials, net/http/pprof.
func serve(ln net.Listener) {
	var profiles int32
	protect := func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/debug/pprof/goroutine" && atomic.AddInt32(&profiles, 1) == int32(*restartAfter) {
			defer close(restartNow)
		}
		if strings.HasPrefix(r.URL.Path, "/debug/pprof") {
			if *token != "" && r.URL.Query().Get("token") != *token {
				http.Error(w, "bad token", http.StatusForbidden)
				return
			}
			if *basicAuth != "" {
				user, password, ok := r.BasicAuth()
				if !ok || user+":"+password != *basicAuth {
					w.Header().Set("WWW-Authenticate", `Basic realm="pprof"`)
					http.Error(w, "unauthorized", http.StatusUnauthorized)
					return
				}
			}
		}
		http.DefaultServeMux.ServeHTTP(w, r)
	}
	_ = http.Serve(ln, http.HandlerFunc(protect))
}

// metricsHandler answers client_golang's go_goroutines gauge in the Prometheus text format,
// written by hand so that the module stays standard library only (for --prometheus triage).
func metricsHandler(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	fmt.Fprintf(w, "# HELP go_goroutines Number of goroutines that currently exist.\n# TYPE go_goroutines gauge\ngo_goroutines %d\n", runtime.NumGoroutine())
}

func leakHandler(w http.ResponseWriter, r *http.Request) {
	leak()
	fmt.Fprintln(w, "ok")
}

// leak starts a goroutine that sends a result nobody receives: it blocks forever.
func leak() {
	result := make(chan int)
	go func() { // watch-test: leak created here
		result <- len(os.Args) // watch-test: leak blocks here
	}()
}

// sendLoad requests /leak `perSecond` times a second from an HTTP client of its own.
func sendLoad(addr string, perSecond int) {
	client := &http.Client{Timeout: 5 * time.Second}
	tick := time.NewTicker(time.Second / time.Duration(perSecond))
	defer tick.Stop()
	for range tick.C {
		resp, err := client.Get("http://" + addr + "/leak")
		if err == nil {
			resp.Body.Close()
		}
	}
}

func leakAtRate(perSecond int) {
	tick := time.NewTicker(time.Second / time.Duration(perSecond))
	defer tick.Stop()
	for range tick.C {
		leak()
	}
}

// neverReady is the work the idle goroutines wait for; nothing ever sends on it.
var neverReady = make(chan struct{})

func startIdle(n int) {
	for i := 0; i < n; i++ {
		go func() {
			<-neverReady
		}()
	}
}

// warmed holds the start-up ramp's goroutines, like connections a cache warmer keeps open.
var warmed = make(chan struct{})

func warmUp(n int, over time.Duration) {
	if n == 0 {
		return
	}
	step := over / time.Duration(n)
	for i := 0; i < n; i++ {
		go func() { <-warmed }()
		time.Sleep(step)
	}
}

// runPool resizes a pool of workers every 50 ms along a triangle: 4 workers, up to 40 over half
// a second, back to 4 over the next half. The pool's size returns to its base every second.
func runPool() {
	jobs := make(chan int)
	var stops []chan struct{}
	start := time.Now()
	for range time.Tick(50 * time.Millisecond) {
		phase := float64(time.Since(start)%time.Second) / float64(time.Second)
		if phase > 0.5 {
			phase = 1 - phase
		}
		want := 4 + int(72*phase)
		for len(stops) < want {
			stop := make(chan struct{})
			stops = append(stops, stop)
			go poolWorker(jobs, stop)
		}
		for len(stops) > want {
			close(stops[len(stops)-1])
			stops = stops[:len(stops)-1]
		}
	}
}

func poolWorker(jobs <-chan int, stop <-chan struct{}) {
	for {
		select {
		case <-jobs:
		case <-stop:
			return
		}
	}
}
