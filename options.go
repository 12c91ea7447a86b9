package mp

import (
	"net/http"
	"time"

	"go.uber.org/zap"

	"github.com/mpdata/mp/internal/wiring"
)

// Option configures Open: where the files are, the environment, the HTTP
// client, the logger — and, through the Selection options it shares with
// Use, the session.
type Option interface {
	applyOpen(*openConfig)
}

// UseOption configures Workspace.Use and Workspace.Fork: a Selection
// option (WithAccount, WithProject, WithWorkspace, WithTarget),
// WithSession or Persist.
type UseOption interface {
	applyUse(*selectConfig)
}

// Selection is an option that selects the session — account, project,
// workspace or target. It works with Open, Workspace.Use and
// Workspace.Fork.
type Selection struct {
	apply func(*selectConfig)
}

func (s Selection) applyOpen(c *openConfig)  { s.apply(&c.sel) }
func (s Selection) applyUse(c *selectConfig) { s.apply(c) }

// selectConfig is what the Selection options and Persist collect.
type selectConfig struct {
	account   string
	project   string
	workspace int64
	target    string
	session   *Session
	persist   bool
}

// explicit reports whether an account, project, workspace or target was
// named (a snapshot is not).
func (c selectConfig) explicit() bool {
	return c.account != "" || c.project != "" || c.workspace != 0 || c.target != ""
}

// openConfig is what the options of Open collect.
type openConfig struct {
	sel           selectConfig
	configPath    string
	storageDir    string
	env           map[string]string
	envSet        bool
	workDir       string
	workDirSet    bool
	apiBaseURL    string
	httpClient    *http.Client
	logger        *zap.Logger
	secretBackend string
	keychain      Keychain // WithKeychain; nil: no keychain linked
	timeout       time.Duration
	timeoutSet    bool
	bridges       wiring.BridgeChoice
	memory        []Account // WithInMemoryConfig's accounts
	memorySet     bool
}

// openOption is an Option that is not a Selection.
type openOption func(*openConfig)

func (o openOption) applyOpen(c *openConfig) { o(c) }

// useOption is a UseOption that is not a Selection.
type useOption func(*selectConfig)

func (o useOption) applyUse(c *selectConfig) { o(c) }

// WithAccount selects an account by name (like `mp --account NAME`). In
// Use, switching to another account also resets the project to that
// account's default and the workspace to none, unless WithProject or
// WithWorkspace are given in the same call.
func WithAccount(name string) Selection {
	return Selection{func(c *selectConfig) { c.account = name }}
}

// WithProject selects a project id (like `mp --project ID`). In Use,
// switching to another project resets the workspace to none (resolved
// lazily) unless WithWorkspace is given in the same call.
func WithProject(id ProjectID) Selection {
	return Selection{func(c *selectConfig) { c.project = string(id) }}
}

// WithWorkspace selects a workspace id (like `mp --workspace ID`).
func WithWorkspace(id WorkspaceID) Selection {
	return Selection{func(c *selectConfig) { c.workspace = int64(id) }}
}

// WithTarget selects a saved target (like `mp --target NAME`): its account,
// project and workspace. It cannot be combined with WithAccount,
// WithProject or WithWorkspace in the same call (INVALID_ARGUMENT).
func WithTarget(name string) Selection {
	return Selection{func(c *selectConfig) { c.target = name }}
}

// WithSession goes back to a snapshot taken with Workspace.Session, as it
// was, without resolving it again: in Use the handle switches to it, in
// Fork the new handle starts from it. The snapshot must come from a handle
// of the same engine (this handle or one forked from it; INVALID_ARGUMENT
// otherwise). Selection options in the same call apply on top of it.
func WithSession(s Session) UseOption {
	return useOption(func(c *selectConfig) { c.session = &s })
}

// Persist makes Use also write the new session to the config, in one
// transaction, as `mp account use`, `mp project use` and `mp target use`
// do: the active account, the account's default project and the active
// workspace (cleared when the session has none). Without it, Use changes
// only the handle. The account of a bridge file (CONFIG_ERROR) or of the
// environment (INVALID_ARGUMENT) is not stored in the config and cannot be
// persisted. A bridge
// file in effect still outranks the config's active account for programs
// that select none; Workspace.Describe shows it.
func Persist() UseOption {
	return useOption(func(c *selectConfig) { c.persist = true })
}

// WithConfigPath sets the path of config.toml (default: MP_CONFIG_PATH,
// else ~/.mp/config.toml).
func WithConfigPath(path string) Option {
	return openOption(func(c *openConfig) { c.configPath = path })
}

// WithStorageDir sets the storage root holding accounts/ and oauth/
// (default: MP_OAUTH_STORAGE_DIR, else ~/.mp).
func WithStorageDir(dir string) Option {
	return openOption(func(c *openConfig) { c.storageDir = dir })
}

// WithEnv replaces the process environment with env for everything the
// handle reads from the environment: the resolver's variables (MP_ACCOUNT,
// MP_PROJECT_ID, the MP_USERNAME/MP_SECRET quad, …), the variables that
// move the files and the API (MP_CONFIG_PATH, MP_API_BASE_URL, …),
// MP_AUTH_FILE and the token_env variables of oauth_token accounts. Meant
// for tests and for programs that must not depend on their surroundings.
//
// The handle is then isolated from the process: the home directory is
// env's HOME — without one there is no ~/.claude/mixpanel/auth.json bridge,
// and Open needs both WithConfigPath and WithStorageDir (CONFIG_ERROR
// otherwise) — and the current directory is WithWorkDir's (default none: no
// ./mixpanel_auth.json bridge). A bridge comes only from MP_AUTH_FILE, HOME
// or WithWorkDir; with none of them the handle discovers no bridge at all.
//
// Without WithEnv, Open takes a snapshot of the process environment: later
// changes to it (os.Setenv) are not seen by the handle — open a new one.
func WithEnv(env map[string]string) Option {
	cp := make(map[string]string, len(env))
	for k, v := range env {
		cp[k] = v
	}
	return openOption(func(c *openConfig) { c.env, c.envSet = cp, true })
}

// WithAPIBaseURL replaces https://{host} of every Mixpanel region, like
// MP_API_BASE_URL ("{region}" in it becomes us, eu or in). It exists so
// that a program or test can point one handle at a sandbox (for example
// mptest's RegionURL) without replacing its whole environment with
// WithEnv; it beats MP_API_BASE_URL.
func WithAPIBaseURL(url string) Option {
	return openOption(func(c *openConfig) { c.apiBaseURL = url })
}

// WithHTTPClient makes the handle send every request (Mixpanel API and
// OAuth) through hc, for its whole life, instead of a client of its own.
func WithHTTPClient(hc *http.Client) Option {
	return openOption(func(c *openConfig) { c.httpClient = hc })
}

// WithLogger sends debug records of what the handle does to log (default:
// none). No secret is ever logged.
func WithLogger(log *zap.Logger) Option {
	return openOption(func(c *openConfig) { c.logger = log })
}

// WithSecretBackend chooses where new secrets and OAuth tokens are kept:
// "file" (config.toml and tokens.json) or "keychain" (the OS keychain),
// for every write of the handle. Default: MP_SECRET_BACKEND; without it
// each write follows [settings] secret_backend of the config it loads,
// else "file" — so after Accounts.MigrateSecrets sets the setting, the
// same handle writes new secrets to the new backend. An unknown backend
// is CONFIG_ERROR.
func WithSecretBackend(name string) Option {
	return openOption(func(c *openConfig) { c.secretBackend = name })
}

// WithoutBridge makes the handle look for no bridge file at all — not
// MP_AUTH_FILE, not ~/.claude/mixpanel/auth.json, not ./mixpanel_auth.json
// — so that only the config (and the environment's resolver variables)
// decide its session. With WithConfigPath and WithStorageDir it gives a
// handle that reads nothing of the user's real mp state; add WithEnv to
// read nothing of the process environment either. Accounts.ExportBridge
// and RemoveBridge with an explicit path still work.
func WithoutBridge() Option {
	return openOption(func(c *openConfig) { c.bridges = wiring.BridgeChoice{Off: true} })
}

// WithBridgePath makes path the only place the handle looks for a bridge
// file, as MP_AUTH_FILE would (which it overrides): a missing file there
// means no bridge. A relative path is relative to WithWorkDir's directory.
func WithBridgePath(path string) Option {
	return openOption(func(c *openConfig) { c.bridges = wiring.BridgeChoice{Path: path} })
}

// WithWorkDir sets the current directory of the handle: where
// ./mixpanel_auth.json, the last place a bridge is looked for, may be, and
// what relative bridge paths (MP_AUTH_FILE, BridgeExport.To,
// RemoveBridge's path) are relative to. Default: the process's current
// directory at Open, or none with WithEnv. An empty dir means none: no
// current-directory bridge, and relative bridge paths are refused.
func WithWorkDir(dir string) Option {
	return openOption(func(c *openConfig) { c.workDir, c.workDirSet = dir, true })
}

// WithRequestTimeout bounds each Mixpanel call of the handle as a whole —
// connection, retries and their waits included — to d, which must be
// greater than zero (INVALID_ARGUMENT otherwise). It beats MP_HTTP_TIMEOUT,
// which beats [settings] http_timeout; without any of them a call is bounded
// by mp's default of 2 minutes (60 s per OAuth request); connecting, the
// wait for response headers and a stalled body are bounded by 30 s each
// regardless (docs/security.md). A call that runs out of it is
// NETWORK_UNREACHABLE saying so, with details timeout and
// per_call_timeout; a context the caller cancels or lets expire still
// returns the context's error.
func WithRequestTimeout(d time.Duration) Option {
	return openOption(func(c *openConfig) { c.timeout, c.timeoutSet = d, true })
}

// WithInMemoryConfig keeps the handle's whole mp state in memory — the
// config, which starts with accounts (the first one active, like
// Accounts.Add), and the /me answers and OAuth tokens — for the handle's
// life: it reads and writes no file (no config.toml, no ~/.mp, no
// keychain), discovers no bridge and reads nothing of the process
// environment (give variables with WithEnv, such as the one an
// oauth_token account's TokenEnv names). It is the way to run on
// credentials a program holds itself — from a secrets manager, say — like
// a static credentials provider: accounts, targets and Use with Persist
// all work, on the in-memory config, and vanish with the handle.
//
// Each account is checked as Accounts.Add checks it (an invalid one makes
// Open fail, naming it); no request is made until a call needs one.
// Combined with WithConfigPath, WithStorageDir, WithBridgePath,
// WithoutBridge, WithWorkDir or WithKeychain, Open fails with
// INVALID_ARGUMENT; WithSecretBackend other than "file" is CONFIG_ERROR.
func WithInMemoryConfig(accounts ...Account) Option {
	cp := append([]Account(nil), accounts...)
	return openOption(func(c *openConfig) { c.memory, c.memorySet = cp, true })
}
