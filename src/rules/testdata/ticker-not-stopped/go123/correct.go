package fixtures

import "time"

func stopped() {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	<-t.C
}
