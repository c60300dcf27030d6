//go:build leaky

package withmain

import "testing"

func TestStuck(t *testing.T) {
	var c Cache
	c.Stuck()
}
