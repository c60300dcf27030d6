//go:build hang

package hang

import "testing"

func TestExchange(t *testing.T) {
	if Exchange() != 1 {
		t.Fatal("wrong")
	}
}
