package fixtures

import "time"

func stopped() {
	t := time.NewTimer(time.Second)
	defer t.Stop()
	<-t.C
}
