// Package donesomepaths is a background job with a Done accessor. The done channel is closed
// only when the job succeeds; on failure run returns early and whoever waits on Done waits
// forever.
package donesomepaths

import (
	"errors"
	"fmt"
	"sync"
)

// Job runs a task once in the background.
type Job struct {
	task func() error
	done chan struct{}

	mu  sync.Mutex
	err error
}

func Start(task func() error) *Job {
	j := &Job{task: task, done: make(chan struct{})}
	go j.run()
	return j
}

func (j *Job) run() {
	if err := j.task(); err != nil {
		j.mu.Lock()
		j.err = err
		j.mu.Unlock()
		return // leak-site: returns without close(j.done)
	}
	close(j.done)
}

// Done is closed when the job has finished.
func (j *Job) Done() <-chan struct{} {
	return j.done
}

func (j *Job) Err() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.err
}

type uploader struct {
	mu        sync.Mutex
	finished  int
	tempFiles []string
}

func (u *uploader) upload(name string) {
	job := Start(func() error { return errors.New("upload " + name + ": connection reset") })
	u.tempFiles = append(u.tempFiles, name+".part")
	go func() { // leak-go
		<-job.Done() // leak: chan receive
		u.mu.Lock()
		u.finished++
		u.tempFiles = nil
		u.mu.Unlock()
	}()
}

func Run() {
	u := &uploader{}
	u.upload("backup.tar")
	fmt.Println("upload queued")
}
