// Package firstresponse asks several replicas the same question and keeps the first answer.
//
// The leak: every replica's goroutine sends its answer on an unbuffered channel, but the
// caller receives only once. The first sender gets through; the others block on their send
// forever, one stranded goroutine per extra replica on every call.
package firstresponse

// Result is one replica's answer.
type Result struct {
	Replica string
	Body    string
}

// Search asks one replica.
type Search func(query string) Result

// FirstLeaky returns the fastest replica's answer and leaks len(replicas)-1 goroutines.
func FirstLeaky(query string, replicas ...Search) Result {
	results := make(chan Result)
	for _, search := range replicas {
		go func(search Search) {
			results <- search(query) // only one of these sends is ever received
		}(search)
	}
	return <-results
}

// FirstFixed gives the channel room for every answer, so the late senders complete their
// send into the buffer and exit; the channel is garbage once nobody references it.
func FirstFixed(query string, replicas ...Search) Result {
	results := make(chan Result, len(replicas))
	for _, search := range replicas {
		go func(search Search) {
			results <- search(query)
		}(search)
	}
	return <-results
}
