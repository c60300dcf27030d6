package fixtures

import (
	"context"
	"fmt"
	"time"
)

type key struct{}

func waitAlone() {
	ctx := context.Background()
	go func() {
		<-ctx.Done() // want "goroutine waits on `<-ctx.Done\\(\\)`, but `ctx` comes from context.Background\\(\\) with no cancel func"
		fmt.Println("stopped")
	}()
}

func loopUntilDone(in <-chan int) {
	ctx := context.WithValue(context.TODO(), key{}, "v")
	go func() {
		for {
			select {
			case <-ctx.Done(): // want "comes from context.TODO\\(\\) \\(via WithValue\\) with no cancel func and no deadline"
				return
			case v := <-in:
				fmt.Println(v)
			}
		}
	}()
}

func pollForever() {
	base := context.Background()
	ctx := context.WithValue(base, key{}, 1)
	go func() {
	loop:
		for {
			select {
			case <-ctx.Done(): // want "never exits"
				break loop
			default:
				time.Sleep(time.Second)
			}
		}
	}()
}
