//go:build wireinject

package wiring

import (
	"github.com/google/wire"

	"github.com/mpdata/mp/app"
)

// NewFileApp builds the use cases over the file backend — config.toml at
// s.ConfigPath; per-account data, secrets, the /me cache, OAuth tokens and
// the OAuth client cache under s.StorageDir — and, sharing one HTTP
// client, the Mixpanel HTTP client at s.APIBaseURL sending s.UserAgent and
// the OAuth flow at the same base, which opens login URLs with s.Browser.
// Call it through Build, which checks s and picks the backend.
func NewFileApp(s Settings) (*app.App, error) {
	wire.Build(SettingsSet, CoreSet, FileBackendSet, RemoteSet, BridgeSet, FileSecretsSet)
	return nil, nil
}

// NewKeychainApp builds the use cases like NewFileApp, with the OS
// keychain selected for new secrets and OAuth tokens (config.toml and the
// rest of the storage root stay files). Call it through Build.
func NewKeychainApp(s Settings) (*app.App, error) {
	wire.Build(SettingsSet, CoreSet, FileBackendSet, RemoteSet, BridgeSet, KeychainSecretsSet)
	return nil, nil
}

// NewMemoryApp builds the use cases over the memory backend: the config,
// per-account data, /me cache, OAuth tokens and clients live in the
// process's memory for the App's life, no file is read or written and no
// bridge is discovered; the Mixpanel HTTP client and the OAuth flow are
// the real ones, as in NewFileApp. s's paths are not used.
func NewMemoryApp(s Settings) (*app.App, error) {
	wire.Build(SettingsSet, CoreSet, MemoryBackendSet, RemoteSet)
	return nil, nil
}
