package races

// Watch streams the changes to the caller until the caller cancels. Before each send the
// producer checks whether it was cancelled: when cancel closes `stop` after the check, nobody
// will receive again and the send blocks forever (it should select on `stop` and the send).
func Watch(changes []string, prepare func(string) string) (<-chan string, func()) {
	out := make(chan string)
	stop := make(chan struct{})
	go func() {
		for _, c := range changes {
			v := prepare(c)
			select {
			case <-stop:
				return
			default:
			}
			out <- v
		}
	}()
	return out, func() { close(stop) }
}
