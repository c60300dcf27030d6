// Package slow has a test that takes a minute: interrupt tests stop goroscope while it runs.
package slow
