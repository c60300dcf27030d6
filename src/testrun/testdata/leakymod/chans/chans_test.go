package chans

import "testing"

func TestFirstBuffered(t *testing.T) {
	if FirstBuffered(3) < 0 {
		t.Fatal("negative")
	}
}
