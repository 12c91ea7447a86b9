package wiring

import (
	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
	"github.com/mpdata/mp/ports/inmem"
)

// The providers of the memory backend: the storage ports kept in the
// process's memory for the App's life (the verified fakes of ports/inmem,
// which pass the same contract suites as the file adapters). An App over
// them reads and writes no file and discovers no bridge.

// NewMemoryConfigStore provides an empty in-memory config.
func NewMemoryConfigStore() *inmem.ConfigStore { return inmem.NewConfigStore(domain.Config{}) }

// NewMemoryAccountStorage provides in-memory per-account data.
func NewMemoryAccountStorage() *inmem.AccountStorage { return inmem.NewAccountStorage() }

// NewMemoryMeCache provides an in-memory /me cache.
func NewMemoryMeCache() *inmem.MeCache { return inmem.NewMeCache() }

// NewMemoryTokenStore provides in-memory OAuth tokens with their refresh
// lock.
func NewMemoryTokenStore() *inmem.TokenStore { return inmem.NewTokenStore() }

// NewMemoryClientCache provides an in-memory OAuth client cache.
func NewMemoryClientCache() *inmem.ClientCache { return inmem.NewClientCache() }

// NewMemoryBridgeStore provides a bridge store with no place to look: no
// bridge is ever discovered (an explicit path is refused as missing).
func NewMemoryBridgeStore() *inmem.BridgeStore { return inmem.NewBridgeStore() }

// NewMemorySecrets provides the secret stores of the memory backend: new
// secrets inline in the in-memory config, no keychain, no secret command.
func NewMemorySecrets() app.SecretStores {
	return app.SecretStores{Backend: domain.SecretBackendFile}
}

// ResolveMemory returns the settings of an App over the memory backend
// (BuildMemory): those env gives (MP_API_BASE_URL, MP_HTTP_TIMEOUT,
// MP_BROWSER), no paths, no work directory, no config [settings].
func ResolveMemory(env ports.Env) Settings {
	return Settings{
		RequestTimeout: requestTimeout(env, "", domain.Settings{}),
		APIBaseURL:     APIBase(env),
		Browser:        Browser(env),
		Env:            env,
	}
}

// BuildMemory builds the App of s over the memory backend
// (NewMemoryApp): nothing of it is kept on disk. It refuses settings that
// name a file, a bridge or a secret backend other than the file one,
// which it cannot honour.
func BuildMemory(s Settings) (*app.App, error) {
	if s.RequestTimeout.Err != nil {
		return nil, s.RequestTimeout.Err
	}
	if s.SecretBackend != "" && s.SecretBackend != domain.SecretBackendFile {
		return nil, domain.NewError(domain.CodeConfigError, "an in-memory mp keeps secrets in memory, so the secret backend %q cannot apply", string(s.SecretBackend)).
			WithHint("leave the secret backend unset (MP_SECRET_BACKEND, mp.WithSecretBackend) for an in-memory handle")
	}
	return NewMemoryApp(s)
}
