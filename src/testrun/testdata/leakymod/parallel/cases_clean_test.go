//go:build !leaky

package parallel

var cases = []struct {
	name string
	skip bool
}{{"all", false}, {"three", false}}
