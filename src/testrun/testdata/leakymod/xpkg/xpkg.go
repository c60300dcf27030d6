// Package xpkg is tested only from an external test package.
package xpkg

// Watch starts a watcher that waits for a stop signal nobody sends when stop is nil.
func Watch(stop chan struct{}) {
	go func() { <-stop }()
}
