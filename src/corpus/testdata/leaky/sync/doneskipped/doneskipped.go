// Package doneskipped resizes a batch of images in parallel. A worker that rejects its input
// returns before it reaches the deferred wg.Done, so the batch's Wait never returns.
package doneskipped

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

	mu  sync.Mutex
	out []image
}

func (r *Resizer) resize(img image) image {
	if img.w <= r.maxWidth {
		return img
	}
	return image{name: img.name, w: r.maxWidth, h: img.h * r.maxWidth / img.w}
}

// Batch resizes every supported image.
func (r *Resizer) Batch(imgs []image) {
	var wg sync.WaitGroup
	for _, img := range imgs {
		wg.Add(1)
		go func(img image) {
			if !strings.HasSuffix(img.name, ".png") {
				return // leak-site: returns before defer wg.Done()
			}
			defer wg.Done()
			small := r.resize(img)
			r.mu.Lock()
			r.out = append(r.out, small)
			r.mu.Unlock()
		}(img)
	}
	wg.Wait() // leak: waitgroup
}

func Run() {
	r := &Resizer{maxWidth: 640}
	go r.Batch([]image{{"a.png", 1280, 720}, {"b.gif", 800, 600}, {"c.png", 320, 200}}) // leak-go
	fmt.Println("batch started")
}
