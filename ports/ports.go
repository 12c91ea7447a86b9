package ports

import (
	"context"
	"time"

	"github.com/mpdata/mp/domain"
)

// ConfigStore loads and updates the config document.
//
// Load returns the current document; a missing or empty file is an empty
// Config. Update runs one read-modify-write transaction: it takes an
// exclusive lock shared with every other process, re-reads the document,
// calls fn on it, validates the result and writes it atomically. When fn (or
// validation) fails nothing is written and the error is returned unchanged.
// Two concurrent Updates never lose each other's changes.
type ConfigStore interface {
	Load(ctx context.Context) (domain.Config, error)
	Update(ctx context.Context, fn func(*domain.Config) error) error
}

// Versioned is implemented by a store that can tell cheaply, without
// reading, whether what it would return changed: Version returns a number
// that changes whenever Load (of a ConfigStore) or Discover (of a
// BridgeStore) could answer differently — another process's write
// included. ok is false when the store cannot tell; the caller then reads.
// A use case may keep a result computed while Version stayed the same and
// reuse it as long as Version still returns that number.
type Versioned interface {
	Version() (v uint64, ok bool)
}

// AccountStorage owns the per-account data kept outside the config
// (accounts/<name>/: tokens, /me cache).
type AccountStorage interface {
	// RemoveAccountData deletes everything stored for the account. Removing
	// an account that has no data is not an error.
	RemoveAccountData(ctx context.Context, name domain.AccountName) error
}

// Env reads the process environment.
type Env interface {
	// LookupEnv returns the variable's value and whether it is set.
	LookupEnv(key string) (string, bool)
}

// Clock tells the time.
type Clock interface {
	Now() time.Time
}

// EnvSnapshot returns the values of keys that env has set, as the map the
// resolver takes.
func EnvSnapshot(env Env, keys ...string) map[string]string {
	out := make(map[string]string, len(keys))
	for _, k := range keys {
		if v, ok := env.LookupEnv(k); ok {
			out[k] = v
		}
	}
	return out
}

// LegacyMigrator is implemented by a ConfigStore that can convert a config
// file of the Python tool's 0.3.x format into the current schema.
// MigrateLegacy converts in one transaction, keeping a backup of the old
// file, or with dryRun only reports what it would do; a file that is not
// in the 0.3.x format, or holds a part it cannot convert, is an error and
// nothing changes.
type LegacyMigrator interface {
	MigrateLegacy(ctx context.Context, dryRun bool) (domain.LegacyMigration, error)
}
