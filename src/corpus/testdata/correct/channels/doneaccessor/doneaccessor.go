// Package doneaccessor is a background job with a Done accessor, like context.Context. run closes
// the done channel with defer, so waiters wake up whether the task succeeded or failed, and Err
// says which.
package doneaccessor

import (
	"errors"
	"fmt"
	"sync"
)

// Job runs a task once in the background.
type Job struct {
	task func() error
	done chan struct{}
	err  error
}

func Start(task func() error) *Job {
	j := &Job{task: task, done: make(chan struct{})}
	go j.run()
	return j
}

func (j *Job) run() {
	defer close(j.done)
	j.err = j.task()
}

// Done is closed when the job has finished.
func (j *Job) Done() <-chan struct{} { return j.done }

// Err is the task's error; call it after Done is closed.
func (j *Job) Err() error { return j.err }

type uploader struct {
	mu       sync.Mutex
	finished int
	failed   int
	wg       sync.WaitGroup
}

func (u *uploader) upload(name string, fail bool) {
	job := Start(func() error {
		if fail {
			return errors.New("upload " + name + ": connection reset")
		}
		return nil
	})
	u.wg.Add(1)
	go func() {
		defer u.wg.Done()
		<-job.Done()
		u.mu.Lock()
		defer u.mu.Unlock()
		if job.Err() != nil {
			u.failed++
		} else {
			u.finished++
		}
	}()
}

func Run() {
	u := &uploader{}
	u.upload("backup.tar", true)
	u.upload("photos.zip", false)
	u.wg.Wait()
	fmt.Println(u.finished, "finished,", u.failed, "failed")
}
