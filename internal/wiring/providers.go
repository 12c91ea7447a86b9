package wiring

import (
	"github.com/google/wire"

	"github.com/mpdata/mp/adapters/filestore"
	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/ports"
)

// CoreSet provides the use cases: app.Deps built field by field from the
// ports in the graph, and app.New over it. It needs a ports.ConfigStore, a
// ports.AccountStorage, a ports.Env and a *zap.Logger.
var CoreSet = wire.NewSet(
	wire.Struct(new(app.Deps), "*"),
	app.New,
)

// FileBackendSet provides the file-based ports: config.toml at ConfigPath
// and per-account data under StorageDir, bound to ports.ConfigStore and
// ports.AccountStorage.
var FileBackendSet = wire.NewSet(
	NewFileConfigStore,
	NewFileAccountStorage,
	wire.Bind(new(ports.ConfigStore), new(*filestore.ConfigStore)),
	wire.Bind(new(ports.AccountStorage), new(*filestore.AccountStorage)),
)

// NewFileConfigStore provides the config store backed by the file at path.
func NewFileConfigStore(path ConfigPath, home HomeDir) *filestore.ConfigStore {
	return filestore.NewConfigStore(string(path), string(home))
}

// NewFileAccountStorage provides the per-account storage under dir.
func NewFileAccountStorage(dir StorageDir, home HomeDir) *filestore.AccountStorage {
	return filestore.NewAccountStorage(string(dir), string(home))
}
