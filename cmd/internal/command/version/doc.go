// Package version defines `mp version`: the version, commit, build date
// Go version and OS/arch of the binary. A release build is stamped with
// -ldflags; an unstamped one shows what the toolchain recorded (the module
// version of `go install …@vX.Y.Z`), see internal/version.
package version
