//go:build wireinject

package wiring

import (
	"github.com/google/wire"
	"go.uber.org/zap"

	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/ports"
)

// NewApp builds the use cases over the file backend: config.toml at cfg and
// per-account data under storage. env is the process environment (only the
// resolver's variables are read) and log receives debug records.
func NewApp(cfg ConfigPath, storage StorageDir, home HomeDir, env ports.Env, log *zap.Logger) (*app.App, error) {
	wire.Build(CoreSet, FileBackendSet)
	return nil, nil
}
