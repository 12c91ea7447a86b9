//go:build wireinject

package wiring

import (
	"github.com/google/wire"
	"go.uber.org/zap"

	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/ports"
)

// NewApp builds the use cases over the file backend — config.toml at cfg;
// per-account data, the /me cache, OAuth tokens and the OAuth client cache
// under storage — and, sharing one HTTP client, the Mixpanel HTTP client
// at base (empty: the real hosts) sending ua and the OAuth flow at the same
// base, which opens login URLs with browser (empty: the system browser).
// env is the process environment (the resolver's variables and token_env
// variables are read from it) and log receives debug records.
func NewApp(cfg ConfigPath, storage StorageDir, home HomeDir, base APIBaseURL, browser BrowserCommand, ua UserAgent, env ports.Env, log *zap.Logger) (*app.App, error) {
	wire.Build(CoreSet, FileBackendSet, RemoteSet)
	return nil, nil
}
