package wiring

import (
	"path/filepath"
	"strings"

	"github.com/mpdata/mp/adapters/mixpanelhttp"
	"github.com/mpdata/mp/ports"
)

// ConfigPath is the path of config.toml.
type ConfigPath string

// StorageDir is the storage root holding accounts/ and oauth/.
type StorageDir string

// HomeDir is the user's home directory. The file adapters use it to tell
// paths under the home directory apart (for example in messages).
type HomeDir string

// APIBaseURL replaces https://{host} of every Mixpanel region (the value
// of MP_API_BASE_URL, docs/reference/http.md); empty means the real hosts.
type APIBaseURL string

// BrowserCommand is the command that opens the login URL instead of the
// system browser (the value of MP_BROWSER, docs/reference/oauth.md): split on
// spaces, run without a shell, the URL appended as its last argument.
// Empty means the system browser.
type BrowserCommand string

// UserAgent is the User-Agent header of every Mixpanel request; build it
// with NewUserAgent.
type UserAgent string

// Environment variables that move the files (docs/reference/files.md) and the
// Mixpanel API (docs/reference/http.md), and choose the login browser (docs/reference/oauth.md).
const (
	EnvConfigPath = "MP_CONFIG_PATH"
	EnvStorageDir = "MP_OAUTH_STORAGE_DIR"
	EnvAPIBaseURL = "MP_API_BASE_URL"
	EnvBrowser    = "MP_BROWSER"
)

// APIBase returns MP_API_BASE_URL with surrounding space removed; empty
// when unset. The HTTP adapter validates it (a bad value fails every call
// with a CONFIG_ERROR naming the variable).
func APIBase(env ports.Env) APIBaseURL {
	return APIBaseURL(trimmed(env, EnvAPIBaseURL))
}

// Browser returns MP_BROWSER with surrounding space removed; empty (the
// system browser) when unset.
func Browser(env ports.Env) BrowserCommand {
	return BrowserCommand(trimmed(env, EnvBrowser))
}

// NewUserAgent builds the User-Agent of docs/reference/http.md for a program
// version and a kind: "cli" for the mp command, "lib" for the library.
func NewUserAgent(version, kind string) UserAgent {
	return UserAgent(mixpanelhttp.UserAgent(version, kind))
}

// Paths returns the config path and the storage root (docs/reference/files.md):
// MP_CONFIG_PATH, else <home>/.mp/config.toml; MP_OAUTH_STORAGE_DIR, else
// <home>/.mp. An empty variable counts as unset. A leading "~" or "~/" in a
// variable is expanded to home, as the Python tool does; other values are
// used as given (cleaned).
func Paths(env ports.Env, home string) (ConfigPath, StorageDir) {
	if env == nil {
		env = noEnv{}
	}
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

// noEnv is an environment with no variables set.
type noEnv struct{}

// LookupEnv implements ports.Env.
func (noEnv) LookupEnv(string) (string, bool) { return "", false }
