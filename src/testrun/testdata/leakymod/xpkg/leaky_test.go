//go:build leaky

package xpkg_test

import (
	"testing"

	"example.com/leakymod/xpkg"
)

func TestWatchNil(t *testing.T) {
	xpkg.Watch(nil)
}
