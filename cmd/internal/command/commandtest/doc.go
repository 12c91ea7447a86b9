// Package commandtest helps test mp commands: it builds a Factory over
// buffered streams and an app over the in-memory fakes of ports/inmem, and
// runs commands under a minimal app with the real global flags and
// command-line normalization.
package commandtest
