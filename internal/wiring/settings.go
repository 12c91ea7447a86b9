package wiring

import (
	"net/http"
	"strings"

	"go.uber.org/zap"

	"github.com/mpdata/mp/adapters/envsource"
	"github.com/mpdata/mp/adapters/filestore"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
)

// Settings is everything the composition root needs, resolved before
// injection into a plain value: the command line and the library fill it
// (usually with Resolve, then their own overrides) and hand it to Build.
// The wire injectors read its fields as distinct named types.
type Settings struct {
	// ConfigPath is the path of config.toml.
	ConfigPath ConfigPath
	// StorageDir is the storage root (accounts/, oauth/).
	StorageDir StorageDir
	// Home is the user's home directory; the file adapters use it in
	// messages. May be empty.
	Home HomeDir
	// WorkDir is the current directory: ./mixpanel_auth.json is the last
	// place a bridge is looked for, and relative bridge paths are taken
	// relative to it. Empty: none (no current-directory bridge).
	WorkDir WorkDir
	// Bridges says where bridge files are looked for; the zero value is
	// the usual discovery.
	Bridges BridgeChoice
	// APIBaseURL replaces the real Mixpanel hosts when set.
	APIBaseURL APIBaseURL
	// Browser opens login URLs instead of the system browser when set.
	Browser BrowserCommand
	// UserAgent is sent with every Mixpanel request.
	UserAgent UserAgent
	// SecretBackend is the explicit choice of where new secrets go
	// (MP_SECRET_BACKEND, mp.WithSecretBackend); Build picks its injector
	// and the App follows it for every write. Empty: each write follows
	// [settings] secret_backend of the config it loaded, else the file
	// backend. An unknown name is refused by Build.
	SecretBackend domain.SecretBackend
	// SecretCommands are the per-account secret commands of the config
	// ([settings.secret_commands]).
	SecretCommands domain.SecretCommands
	// RequestTimeout is the overall limit of each Mixpanel call and where
	// it came from (ResolveAt; mp.WithRequestTimeout replaces
	// it). Zero Limit: none. Build refuses one whose Err is set.
	RequestTimeout RequestTimeout
	// Env is the environment the use cases read (resolver variables,
	// token_env variables); nil means an empty environment.
	Env ports.Env
	// Log receives debug records; nil means no logging.
	Log *zap.Logger
	// HTTPClient, when set, is the one HTTP client of the App (the
	// Mixpanel API and the OAuth flow); nil means a new client with mp's
	// own transport settings.
	HTTPClient *http.Client

	// configStore is the store ResolveAt read the config with (for
	// configHome); NewFileConfigStore hands it to the use cases while
	// ConfigPath and Home are still the ones it was made for.
	configStore *filestore.ConfigStore
	configHome  HomeDir

	// Keychain, when set, makes the OS keychain store (the mp command sets
	// it; a library program through mp.WithKeychain). Nil: the App has no
	// keychain, and a secret kept there is SECRET_STORE_UNAVAILABLE — so a
	// program that never uses the keychain does not link its stack
	// (go-keyring, D-Bus, the Windows Credential Manager).
	Keychain func() ports.SecretStore
}

// Resolve returns the settings the environment env selects for a user
// whose home directory is home: the config path and storage root of Paths,
// then ResolveAt over them.
func Resolve(env ports.Env, home string) Settings {
	cfg, storage := Paths(env, home)
	return ResolveAt(env, home, cfg, storage)
}

// ResolveAt is Resolve with the config path and the storage root chosen
// by the caller (the library's WithConfigPath/WithStorageDir): the current
// directory (CurrentDir), MP_API_BASE_URL, MP_BROWSER, the explicit secret
// backend and the secret commands, the request timeout, and env itself.
// The config at cfg is read once, for its [settings]; a config that cannot
// be read counts as one without settings (the use cases report it).
// UserAgent, Log and HTTPClient stay empty for the caller to fill.
func ResolveAt(env ports.Env, home string, cfg ConfigPath, storage StorageDir) Settings {
	store := filestore.NewConfigStore(string(cfg), home)
	st := configSettings(store)
	backend, commands := resolveSecrets(env, st)
	return Settings{
		configStore:    store,
		configHome:     HomeDir(home),
		RequestTimeout: requestTimeout(env, cfg, st),
		ConfigPath:     cfg,
		StorageDir:     storage,
		Home:           HomeDir(home),
		WorkDir:        CurrentDir(),
		APIBaseURL:     APIBase(env),
		Browser:        Browser(env),
		SecretBackend:  backend,
		SecretCommands: commands,
		Env:            env,
	}
}

// ProcessEnv returns the real process environment as a ports.Env (for
// callers outside the adapters, such as the root library).
func ProcessEnv() ports.Env { return envsource.OS{} }

// trimmed returns the variable's value without surrounding space; empty
// when unset.
func trimmed(env ports.Env, key string) string {
	if env == nil {
		return ""
	}
	v, _ := env.LookupEnv(key)
	return strings.TrimSpace(v)
}
