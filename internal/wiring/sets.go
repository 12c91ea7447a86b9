//go:build wireinject

package wiring

// The provider sets are compiled only by the wire tool (like wire.go), so
// that programs using the mp library do not link github.com/google/wire.

import (
	"github.com/google/wire"

	"github.com/mpdata/mp/adapters/filestore"
	"github.com/mpdata/mp/adapters/mixpanelhttp"
	"github.com/mpdata/mp/adapters/oauthflow"
	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/ports"
	"github.com/mpdata/mp/ports/inmem"
)

// SettingsSet provides the fields of Settings as the distinct named types
// the other providers take (ConfigPath, StorageDir, HomeDir, APIBaseURL,
// BrowserCommand, UserAgent, WorkDir, RequestTimeout), the ports.Env and
// the *zap.Logger.
var SettingsSet = wire.NewSet(
	wire.FieldsOf(new(Settings), "ConfigPath", "StorageDir", "Home", "WorkDir", "Bridges", "APIBaseURL", "Browser", "UserAgent", "RequestTimeout", "Env", "Log"),
)

// CoreSet provides the use cases: app.Deps built field by field from the
// ports in the graph, and app.New over it. It needs a ports.ConfigStore, a
// ports.AccountStorage, a ports.Env, a *zap.Logger, a ports.MixpanelAPI, a
// ports.MeCache, a ports.Clock, a ports.TokenStore and a ports.OAuthFlow.
// Deps.RefreshLockWait stays zero (app's 30 s default).
var CoreSet = wire.NewSet(
	wire.Struct(new(app.Deps), "*"),
	app.New,
)

// FileBackendSet provides the file-based ports: config.toml at ConfigPath;
// under StorageDir the per-account data, the /me cache
// (accounts/<name>/me.json), the OAuth tokens with their refresh lock
// (accounts/<name>/tokens.json, .refresh.lock) and the per-region OAuth
// client cache (oauth/client_<region>.json); bound to ports.ConfigStore,
// ports.AccountStorage, ports.MeCache, ports.TokenStore and
// ports.ClientCache.
var FileBackendSet = wire.NewSet(
	NewFileConfigStore,
	NewFileAccountStorage,
	NewFileMeCache,
	NewFileTokenStore,
	NewFileClientCache,
	wire.Bind(new(ports.ConfigStore), new(*filestore.ConfigStore)),
	wire.Bind(new(ports.AccountStorage), new(*filestore.AccountStorage)),
	wire.Bind(new(ports.MeCache), new(*filestore.MeCache)),
	wire.Bind(new(ports.TokenStore), new(*filestore.TokenStore)),
	wire.Bind(new(ports.ClientCache), new(*filestore.ClientCache)),
)

// RemoteSet provides what reaches the outside world: one *http.Client (one
// connection pool for the App's life) shared by the Mixpanel HTTP client
// at APIBaseURL with UserAgent (bound to ports.MixpanelAPI) and the OAuth
// flow at the same base (bound to ports.OAuthFlow), which opens the login
// URL with BrowserCommand and registers clients through ports.ClientCache,
// each API call and OAuth request bounded by RequestTimeout (not the wait
// for the browser); and the system clock as ports.Clock. It needs a
// *zap.Logger.
var RemoteSet = wire.NewSet(
	NewHTTPClient,
	NewMixpanelAPI,
	wire.Bind(new(ports.MixpanelAPI), new(*mixpanelhttp.Client)),
	NewBrowser,
	NewOAuthFlow,
	wire.Bind(new(ports.OAuthFlow), new(*oauthflow.Flow)),
	NewClock,
)

// BridgeSet provides the file bridge store (discovery per
// docs/reference/files.md: MP_AUTH_FILE exclusively, else
// ~/.claude/mixpanel/auth.json, else ./mixpanel_auth.json) bound to
// ports.BridgeStore. It needs a HomeDir, a WorkDir (Settings.WorkDir, resolved
// before injection) and a ports.Env.
var BridgeSet = wire.NewSet(
	NewFileBridgeStore,
	wire.Bind(new(ports.BridgeStore), new(*filestore.BridgeStore)),
)

// FileSecretsSet provides app.SecretStores for the file backend: new
// secrets inline in config.toml and tokens in accounts/<name>/tokens.json;
// the keychain and the secret commands serve the accounts that keep their
// secrets there.
var FileSecretsSet = wire.NewSet(NewFileSecretStore, NewKeychain, NewSecretExec, NewFileSecrets)

// KeychainSecretsSet provides app.SecretStores for the keychain backend:
// new secrets and tokens go to the OS keychain.
var KeychainSecretsSet = wire.NewSet(NewFileSecretStore, NewKeychain, NewSecretExec, NewKeychainSecrets)

// MemoryBackendSet provides every storage port in memory (config, account
// data, /me cache, OAuth tokens and clients, no bridge) and the secret
// stores of the memory backend, bound to the ports: an App that reads and
// writes no file.
var MemoryBackendSet = wire.NewSet(
	NewMemoryConfigStore,
	NewMemoryAccountStorage,
	NewMemoryMeCache,
	NewMemoryTokenStore,
	NewMemoryClientCache,
	NewMemoryBridgeStore,
	NewMemorySecrets,
	wire.Bind(new(ports.ConfigStore), new(*inmem.ConfigStore)),
	wire.Bind(new(ports.AccountStorage), new(*inmem.AccountStorage)),
	wire.Bind(new(ports.MeCache), new(*inmem.MeCache)),
	wire.Bind(new(ports.TokenStore), new(*inmem.TokenStore)),
	wire.Bind(new(ports.ClientCache), new(*inmem.ClientCache)),
	wire.Bind(new(ports.BridgeStore), new(*inmem.BridgeStore)),
)
