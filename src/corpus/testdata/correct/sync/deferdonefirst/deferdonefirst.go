// Package deferdonefirst resizes a batch of images in parallel. Each worker defers wg.Done as its
// first statement, so a worker that rejects its input still counts down, and Batch returns.
package deferdonefirst

import (
	"fmt"
	"strings"
	"sync"
)

type image struct {
	name string
	w, h int
}

// Resizer scales images to a maximum width.
type Resizer struct {
	maxWidth int

	mu      sync.Mutex
	out     []image
	skipped []string
}

// Batch resizes every supported image.
func (r *Resizer) Batch(imgs []image) {
	var wg sync.WaitGroup
	for _, img := range imgs {
		wg.Add(1)
		go func(img image) {
			defer wg.Done()
			if !strings.HasSuffix(img.name, ".png") {
				r.mu.Lock()
				r.skipped = append(r.skipped, img.name)
				r.mu.Unlock()
				return
			}
			small := img
			if img.w > r.maxWidth {
				small = image{name: img.name, w: r.maxWidth, h: img.h * r.maxWidth / img.w}
			}
			r.mu.Lock()
			r.out = append(r.out, small)
			r.mu.Unlock()
		}(img)
	}
	wg.Wait()
}

func Run() {
	r := &Resizer{maxWidth: 640}
	r.Batch([]image{{"a.png", 1280, 720}, {"b.gif", 800, 600}, {"c.png", 320, 200}})
	fmt.Println(len(r.out), "resized,", len(r.skipped), "skipped")
}
