package fixtures

import (
	"log"
	"net"
	"sync"
	"time"
)

type Cache struct {
	mu    sync.Mutex
	items map[string]string
}

func (c *Cache) evictAll() {
	c.mu.Lock()
	c.items = map[string]string{}
	c.mu.Unlock()
}

// The janitor runs forever: nothing tells it the cache is gone.
func NewCache() *Cache {
	c := &Cache{items: map[string]string{}}
	go func() { // want "goroutine loops forever in `for \\{` and nothing can stop or wait for it"
		for {
			time.Sleep(time.Minute)
			c.evictAll()
		}
	}()
	return c
}

// Ranging over time.Tick never ends: its channel is never closed.
func StartRefresher(refresh func()) {
	go func() { // want "loops forever in `for range time.Tick\\(time.Second\\) \\{` \\(a timer channel is never closed\\)"
		for range time.Tick(time.Second) {
			refresh()
		}
	}()
}

// A ticker's C is never closed either, and Stop does not close it.
func StartTickerLoop(work func()) {
	t := time.NewTicker(time.Second)
	go func() { // want "loops forever in `for range t.C \\{`"
		for range t.C {
			work()
		}
	}()
}

type Poller struct {
	addr string
	last error
}

func (p *Poller) poll() {
	for {
		_, p.last = net.Dial("tcp", p.addr)
		time.Sleep(5 * time.Second)
	}
}

// A method of this package started as a goroutine: its endless loop is visible.
func (p *Poller) Start() {
	go p.poll() // want "goroutine `p.poll` loops forever"
}

func heartbeat(name string) {
	for {
		log.Println(name, "alive")
		time.Sleep(10 * time.Second)
	}
}

// A function of this package: it takes only a string, and loops with no exit.
func StartHeartbeat() {
	go heartbeat("worker") // want "goroutine `heartbeat` loops forever"
}

// An accept loop that only `continue`s on errors spins forever once the listener is closed.
func Serve(l net.Listener, handle func(net.Conn)) {
	go func() { // want "loops forever"
		for {
			conn, err := l.Accept()
			if err != nil {
				continue
			}
			go handle(conn)
		}
	}()
}

// A break inside a switch leaves the switch, not the loop.
func StartCounter(counts map[string]int, mu *sync.Mutex) {
	go func() { // want "loops forever in `for i := 0; ; i\\+\\+ \\{`"
		for i := 0; ; i++ {
			switch {
			case i%2 == 0:
				break
			default:
				mu.Lock()
				counts["odd"]++
				mu.Unlock()
			}
			time.Sleep(time.Millisecond)
		}
	}()
}

// A break that only leaves an inner loop does not end the outer one.
func StartScanner(next func() bool) {
	go func() { // want "loops forever"
		for {
			for next() {
				if !next() {
					break
				}
			}
			time.Sleep(time.Second)
		}
	}()
}

// Polls forever on a timer kept in a local: nothing can stop it.
func pollStatus(check func()) {
	go func() { // want "goroutine loops forever in `for \\{` and nothing can stop or wait for it"
		for {
			next := time.After(time.Second)
			check()
			<-next
		}
	}()
}
