// Package version defines `mp version`: the version, commit, build date
// and Go version of the binary.
package version
