//go:build leaky

package chans

import "testing"

func TestFirst(t *testing.T) {
	if First(3) < 0 {
		t.Fatal("negative")
	}
}
