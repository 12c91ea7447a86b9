package wiring

import (
	"net/http"

	"github.com/google/wire"
	"go.uber.org/zap"

	"github.com/mpdata/mp/adapters/browser"
	"github.com/mpdata/mp/adapters/filestore"
	"github.com/mpdata/mp/adapters/mixpanelhttp"
	"github.com/mpdata/mp/adapters/oauthflow"
	"github.com/mpdata/mp/adapters/sysclock"
	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/ports"
)

// SettingsSet provides the fields of Settings as the distinct named types
// the other providers take (ConfigPath, StorageDir, HomeDir, APIBaseURL,
// BrowserCommand, UserAgent), the ports.Env and the *zap.Logger.
var SettingsSet = wire.NewSet(
	wire.FieldsOf(new(Settings), "ConfigPath", "StorageDir", "Home", "APIBaseURL", "Browser", "UserAgent", "Env", "Log"),
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
// URL with BrowserCommand and registers clients through ports.ClientCache;
// and the system clock as ports.Clock. It needs a *zap.Logger.
var RemoteSet = wire.NewSet(
	NewHTTPClient,
	NewMixpanelAPI,
	wire.Bind(new(ports.MixpanelAPI), new(*mixpanelhttp.Client)),
	NewBrowser,
	NewOAuthFlow,
	wire.Bind(new(ports.OAuthFlow), new(*oauthflow.Flow)),
	NewClock,
)

// NewFileConfigStore provides the config store backed by the file at path.
func NewFileConfigStore(path ConfigPath, home HomeDir) *filestore.ConfigStore {
	return filestore.NewConfigStore(string(path), string(home))
}

// NewFileAccountStorage provides the per-account storage under dir.
func NewFileAccountStorage(dir StorageDir, home HomeDir) *filestore.AccountStorage {
	return filestore.NewAccountStorage(string(dir), string(home))
}

// NewFileMeCache provides the /me cache under dir.
func NewFileMeCache(dir StorageDir, home HomeDir) *filestore.MeCache {
	return filestore.NewMeCache(string(dir), string(home))
}

// NewFileTokenStore provides the OAuth token store under dir.
func NewFileTokenStore(dir StorageDir, home HomeDir) *filestore.TokenStore {
	return filestore.NewTokenStore(string(dir), string(home))
}

// NewFileClientCache provides the OAuth client cache under dir.
func NewFileClientCache(dir StorageDir, home HomeDir) *filestore.ClientCache {
	return filestore.NewClientCache(string(dir), string(home))
}

// NewHTTPClient provides the one HTTP client (connection pool) of the App,
// shared by the Mixpanel API client and the OAuth flow: s.HTTPClient when
// set, else a new client with mp's transport settings.
func NewHTTPClient(s Settings) *http.Client {
	if s.HTTPClient != nil {
		return s.HTTPClient
	}
	return mixpanelhttp.NewHTTPClient()
}

// NewMixpanelAPI provides the Mixpanel HTTP client over hc: base replaces
// the real hosts when set, ua is sent with every request, and log (may be
// nil) receives a debug line per attempt.
func NewMixpanelAPI(base APIBaseURL, ua UserAgent, hc *http.Client, log *zap.Logger) *mixpanelhttp.Client {
	if log != nil {
		log = log.Named("http")
	}
	return mixpanelhttp.New(mixpanelhttp.Options{BaseURL: string(base), UserAgent: string(ua), HTTPClient: hc, Logger: log})
}

// NewBrowser provides what opens the login URL: cmd (MP_BROWSER) when set,
// else the system browser.
func NewBrowser(cmd BrowserCommand) *browser.Browser { return browser.New(string(cmd)) }

// NewOAuthFlow provides the OAuth browser login and refresh over hc, at
// base (MP_API_BASE_URL semantics; empty: the real hosts), sending ua,
// registering clients through clients, opening the URL with b, telling the
// time with clock; log (may be nil) receives debug lines.
func NewOAuthFlow(base APIBaseURL, ua UserAgent, hc *http.Client, clients ports.ClientCache, b *browser.Browser, clock ports.Clock, log *zap.Logger) *oauthflow.Flow {
	if log != nil {
		log = log.Named("oauth")
	}
	return oauthflow.New(oauthflow.Options{
		BaseURL: string(base), HTTPClient: hc, UserAgent: string(ua), Clients: clients, Browser: b, Clock: clock.Now, Logger: log,
	})
}

// NewClock provides the system clock.
func NewClock() ports.Clock { return sysclock.Clock{} }
