package wiring

import (
	"github.com/google/wire"
	"go.uber.org/zap"

	"github.com/mpdata/mp/adapters/filestore"
	"github.com/mpdata/mp/adapters/mixpanelhttp"
	"github.com/mpdata/mp/adapters/sysclock"
	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/ports"
)

// CoreSet provides the use cases: app.Deps built field by field from the
// ports in the graph, and app.New over it. It needs a ports.ConfigStore, a
// ports.AccountStorage, a ports.Env, a *zap.Logger, a ports.MixpanelAPI, a
// ports.MeCache and a ports.Clock.
var CoreSet = wire.NewSet(
	wire.Struct(new(app.Deps), "*"),
	app.New,
)

// FileBackendSet provides the file-based ports: config.toml at ConfigPath,
// per-account data and the /me cache (accounts/<name>/me.json) under
// StorageDir, bound to ports.ConfigStore, ports.AccountStorage and
// ports.MeCache.
var FileBackendSet = wire.NewSet(
	NewFileConfigStore,
	NewFileAccountStorage,
	NewFileMeCache,
	wire.Bind(new(ports.ConfigStore), new(*filestore.ConfigStore)),
	wire.Bind(new(ports.AccountStorage), new(*filestore.AccountStorage)),
	wire.Bind(new(ports.MeCache), new(*filestore.MeCache)),
)

// RemoteSet provides what reaches the outside world: the Mixpanel HTTP
// client (one connection pool for the App's life) at APIBaseURL with
// UserAgent, bound to ports.MixpanelAPI, and the system clock as
// ports.Clock. It needs a *zap.Logger.
var RemoteSet = wire.NewSet(
	NewMixpanelAPI,
	wire.Bind(new(ports.MixpanelAPI), new(*mixpanelhttp.Client)),
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

// NewMixpanelAPI provides the Mixpanel HTTP client: base replaces the real
// hosts when set, ua is sent with every request, and log (may be nil)
// receives a debug line per attempt.
func NewMixpanelAPI(base APIBaseURL, ua UserAgent, log *zap.Logger) *mixpanelhttp.Client {
	if log != nil {
		log = log.Named("http")
	}
	return mixpanelhttp.New(mixpanelhttp.Options{BaseURL: string(base), UserAgent: string(ua), Logger: log})
}

// NewClock provides the system clock.
func NewClock() ports.Clock { return sysclock.Clock{} }
