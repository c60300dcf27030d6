package withmain

import (
	"os"
	"testing"
)

var setUp bool

func TestMain(m *testing.M) {
	setUp = true
	code := m.Run()
	os.Exit(code)
}

func TestRefresh(t *testing.T) {
	if !setUp {
		t.Fatal("TestMain did not run")
	}
	var c Cache
	c.Refresh()
}
