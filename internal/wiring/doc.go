// Package wiring is the composition root of mp: it builds the use cases of
// package app over concrete adapters with Google Wire. It is the only
// package that imports github.com/google/wire (in wire.go, which only the
// wire tool compiles); wire_gen.go is generated from it and committed.
//
// Regenerate after changing a provider set or an injector, from the root
// module directory:
//
//	GOTOOLCHAIN=go1.27.3 go tool wire ./internal/wiring
//
// (not go generate, which breaks in workspace mode).
package wiring
