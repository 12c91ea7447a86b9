// Package version holds the build identity of mp, stamped by the Makefile
// with -ldflags "-X github.com/mpdata/mp/internal/version.Version=…".
package version

import "runtime"

// Stamped at build time; the defaults describe an unstamped `go build`.
var (
	// Version is the release version (git describe).
	Version = "dev"
	// Commit is the full git commit hash.
	Commit = "unknown"
	// Date is the build date, RFC 3339.
	Date = "unknown"
)

// GoVersion returns the Go version the binary was built with.
func GoVersion() string { return runtime.Version() }
