package clock

import "time"

// Options belong to this package, which stops the ticker it is given.
type Options struct {
	Ticker *time.Ticker
}

func Run(o *Options) {
	defer o.Ticker.Stop()
	<-o.Ticker.C
}
