package clean

import (
	"context"
	"testing"
)

func TestSum(t *testing.T) {
	if got := Sum(context.Background(), []int{1, 2, 3}); got != 12 {
		t.Fatalf("got %d", got)
	}
}
