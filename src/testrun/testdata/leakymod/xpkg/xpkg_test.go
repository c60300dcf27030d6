package xpkg_test

import (
	"testing"

	"example.com/leakymod/xpkg"
)

func TestWatchStopped(t *testing.T) {
	stop := make(chan struct{})
	xpkg.Watch(stop)
	close(stop)
}
