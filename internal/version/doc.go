// Package version holds the build identity of mp. A release build stamps it
// with -ldflags "-X github.com/mpdata/mp/internal/version.Version=v… -X
// ….Commit=… -X ….Date=…" (the Makefile and .goreleaser.yaml do); an
// unstamped build (`go install github.com/mpdata/mp/cmd/mp@v0.1.0`, or a
// program using the library) falls back to what the Go toolchain recorded
// in the binary (runtime/debug.ReadBuildInfo): the module version and, for a
// build from a git checkout, the VCS revision and time.
package version
