package wiring

import (
	"path/filepath"
	"strings"

	"github.com/mpdata/mp/ports"
)

// ConfigPath is the path of config.toml.
type ConfigPath string

// StorageDir is the storage root holding accounts/ and oauth/.
type StorageDir string

// HomeDir is the user's home directory. The file adapters use it to tell
// paths under the home directory apart (for example in messages).
type HomeDir string

// Environment variables that move the files (behavior.md §3.1).
const (
	EnvConfigPath = "MP_CONFIG_PATH"
	EnvStorageDir = "MP_OAUTH_STORAGE_DIR"
)

// Paths returns the config path and the storage root (behavior.md §3.1):
// MP_CONFIG_PATH, else <home>/.mp/config.toml; MP_OAUTH_STORAGE_DIR, else
// <home>/.mp. An empty variable counts as unset. A leading "~" or "~/" in a
// variable is expanded to home, as the Python tool does; other values are
// used as given (cleaned).
func Paths(env ports.Env, home string) (ConfigPath, StorageDir) {
	base := filepath.Join(home, ".mp")
	cfg := filepath.Join(base, "config.toml")
	if v, ok := env.LookupEnv(EnvConfigPath); ok && v != "" {
		cfg = expandHome(v, home)
	}
	dir := base
	if v, ok := env.LookupEnv(EnvStorageDir); ok && v != "" {
		dir = expandHome(v, home)
	}
	return ConfigPath(cfg), StorageDir(dir)
}

// expandHome replaces a leading "~" (alone or followed by a separator) with
// home and cleans the path.
func expandHome(p, home string) string {
	if p == "~" {
		return filepath.Clean(home)
	}
	if strings.HasPrefix(p, "~/") || strings.HasPrefix(p, "~"+string(filepath.Separator)) {
		return filepath.Join(home, p[2:])
	}
	return filepath.Clean(p)
}
