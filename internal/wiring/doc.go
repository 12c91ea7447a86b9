// Package wiring is the composition root of mp: it builds the use cases of
// package app over concrete adapters with Google Wire. It is the only
// package that imports github.com/google/wire (in wire.go and sets.go, which
// only the wire tool compiles, so the library never links Wire); wire_gen.go
// is generated from them and committed.
//
// The settings are resolved first into a plain Settings value (Resolve
// reads the environment; the mp command and the root library then set the
// User-Agent, the logger and their overrides). Build checks them and picks
// one injector per secret backend with a small switch — NewFileApp for
// domain.SecretBackendFile; each injector reads the Settings fields as distinct
// named types (ConfigPath, StorageDir, HomeDir, APIBaseURL, BrowserCommand,
// UserAgent, RequestTimeout) through SettingsSet. A backend adds its provider set and its
// injector, and one case to Build.
//
// Regenerate after changing a provider set or an injector, from the root
// module directory:
//
//	make generate     (runs: go tool wire gen ./internal/wiring)
//
// (not go generate, which breaks in workspace mode). make check-generated
// runs `go tool wire diff` and fails when wire_gen.go is stale.
package wiring
