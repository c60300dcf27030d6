// Package fieldresults: "first response wins" through a channel kept in a struct field. Every
// instance of the type shares the field's identity, so the rule speaks only when nothing else in
// the package can take the values the one receive leaves behind.
package fieldresults

import (
	"fmt"
	"strconv"
)

// An order service asks one backend per id and answers with the first reply, through a field.
type OrderService struct{ results chan string }

func NewOrderService() *OrderService { return &OrderService{results: make(chan string)} }

func (s *OrderService) fetch(id int) {
	s.results <- fmt.Sprint(id) // want "a goroutine started in a loop sends on the `.results` field of `OrderService` \\(unbuffered\\), but only one value is received from it in the whole package: every other sender blocks forever \\(first response wins\\)"
}

func (s *OrderService) Lookup(ids []int) string {
	for _, id := range ids {
		go s.fetch(id)
	}
	return <-s.results
}

// The same with the goroutine written as a literal, and the field made by an assignment in the
// constructor.
type PriceService struct{ quotes chan float64 }

func NewPriceService() *PriceService {
	s := &PriceService{}
	s.quotes = make(chan float64)
	return s
}

func (s *PriceService) Best(venues []string) float64 {
	for _, v := range venues {
		go func(v string) {
			s.quotes <- float64(len(v)) // want "a goroutine started in a loop sends on the `.quotes` field of `PriceService` \\(unbuffered\\), but only one value is received"
		}(v)
	}
	return <-s.quotes
}

// A counting loop over a constant: four mirrors, room for one, two receives.
const mirrorCount = 4

type Mirrors struct{ replies chan []byte }

func NewMirrors() *Mirrors { return &Mirrors{replies: make(chan []byte, 1)} }

func (m *Mirrors) download(i int) { m.replies <- []byte(strconv.Itoa(i)) } // want "4 goroutines send on the `.replies` field of `Mirrors` \\(buffer 1\\), but only 2 values are received"

func (m *Mirrors) FirstTwo() ([]byte, []byte) {
	for i := 0; i < mirrorCount; i++ {
		go m.download(i)
	}
	a := <-m.replies
	b := <-m.replies
	return a, b
}

// A counting loop over a parameter, through a pointer field of the goroutine's own struct.
type Prober struct {
	answers chan int
	name    string
}

func newProber(name string) *Prober {
	p := new(Prober)
	p.name = name
	p.answers = make(chan int)
	return p
}

func (p *Prober) Probe(n int) int {
	for i := 0; i < n; i++ {
		go func(i int) {
			p.answers <- i * len(p.name) // want "a goroutine started in a loop sends on the `.answers` field of `Prober` \\(unbuffered\\), but only one value is received"
		}(i)
	}
	return <-p.answers
}

// A field given a fresh unbuffered channel on every call is a channel per call: the senders of
// each call still outnumber its one receive.
type Resolver struct{ found chan string }

func (r *Resolver) Resolve(hosts []string) string {
	r.found = make(chan string)
	for _, h := range hosts {
		go r.ask(h)
	}
	return <-r.found
}

func (r *Resolver) ask(host string) {
	r.found <- host + ".internal" // want "a goroutine started in a loop sends on the `.found` field of `Resolver` \\(unbuffered\\), but only one value is received"
}

// The receiver gives up on a timeout: still at most one value taken.
type Pinger struct{ pongs chan string }

func NewPinger() *Pinger { return &Pinger{pongs: make(chan string)} }

func (p *Pinger) First(hosts []string, timeout <-chan struct{}) string {
	for _, h := range hosts {
		go p.ping(h)
	}
	select {
	case h := <-p.pongs:
		return h
	case <-timeout:
		return ""
	}
}

func (p *Pinger) ping(host string) {
	p.pongs <- host // want "a goroutine started in a loop sends on the `.pongs` field of `Pinger` \\(unbuffered\\), but only one value is received"
}

// The method receives through a local copy of the field: the same channel.
type Geocoder struct{ points chan [2]float64 }

func NewGeocoder() *Geocoder { return &Geocoder{points: make(chan [2]float64)} }

func (g *Geocoder) Locate(providers []string) [2]float64 {
	points := g.points
	for _, p := range providers {
		go g.query(p)
	}
	return <-points
}

func (g *Geocoder) query(provider string) {
	g.points <- [2]float64{float64(len(provider)), 0} // want "a goroutine started in a loop sends on the `.points` field of `Geocoder` \\(unbuffered\\), but only one value is received"
}
