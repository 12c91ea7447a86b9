package app

import (
	"sync"
	"time"

	"go.uber.org/zap"

	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
)

// Deps are the ports the use cases need. Config and Storage are required;
// a nil Env means an empty environment and a nil Log means no logging. The
// use cases that reach Mixpanel need API and Clock and fail with
// CONFIG_ERROR without them; a nil Me keeps /me answers in memory only.
// oauth_browser accounts need Tokens (and OAuth to log in or refresh) and
// fail with CONFIG_ERROR without them.
type Deps struct {
	// Config loads and updates the config document.
	Config ports.ConfigStore
	// Storage owns the per-account data kept outside the config.
	Storage ports.AccountStorage
	// Env is the process environment; only the variables of
	// domain.ResolverEnvVars are read.
	Env ports.Env
	// Log receives debug-level records of what the use cases do. Never nil
	// after New (New substitutes zap.NewNop()).
	Log *zap.Logger
	// API reaches Mixpanel's HTTP API.
	API ports.MixpanelAPI
	// Me caches /me answers per account (accounts/<name>/me.json).
	Me ports.MeCache
	// Clock tells the time, for the freshness of cached /me answers and
	// the expiry of OAuth tokens.
	Clock ports.Clock
	// Tokens keeps oauth_browser accounts' tokens and their cross-process
	// refresh lock.
	Tokens ports.TokenStore
	// OAuth runs the browser login and the refresh grant.
	OAuth ports.OAuthFlow
	// Bridges finds, reads and writes bridge files (docs/reference/bridge.md); nil
	// means no bridge support (no discovery, and export/remove fail with
	// CONFIG_ERROR).
	Bridges ports.BridgeStore
	// Secrets are the secret backends: where new secrets go, the file
	// store, the OS keychain and the secret commands. The zero value is
	// the file backend without a keychain (secrets inline in the config,
	// tokens through Tokens).
	Secrets SecretStores
	// RefreshLockWait bounds the wait for another process's refresh lock;
	// zero means DefaultRefreshLockWait (30 s). Wire leaves it zero.
	RefreshLockWait time.Duration `wire:"-"`
}

// App groups the use-case services.
type App struct {
	// Accounts manages accounts.
	Accounts *Accounts
	// Targets manages saved targets.
	Targets *Targets
	// Projects reads and sets the project of the resolved account.
	Projects *Projects
	// Workspaces reads and sets the active workspace.
	Workspaces *Workspaces
	// Sessions resolves and explains the session.
	Sessions *Sessions
	// Query runs queries on the session's project.
	Query *Query
	// API sends raw authenticated requests (`mp api`).
	API *RawAPI
	// Config works on the config file as a whole (0.3.x migration).
	Config *Config
}

// New builds the services over d. It panics when d.Config or d.Storage is
// nil, which is a wiring mistake rather than a runtime condition.
func New(d Deps) *App {
	if d.Config == nil {
		panic("app.New: Deps.Config is nil")
	}
	if d.Storage == nil {
		panic("app.New: Deps.Storage is nil")
	}
	if d.Env == nil {
		d.Env = emptyEnv{}
	}
	if d.Log == nil {
		d.Log = zap.NewNop()
	}
	c := &core{
		deps:   d,
		mem:    map[domain.AccountName]memEntry{},
		probes: map[domain.AccountName]probed{},
		lazy:   map[wsKey]domain.Workspace{},

		flights: map[domain.AccountName]chan struct{}{},

		meFlights: map[domain.AccountName]chan struct{}{},
		wsLists:   map[wsKey][]domain.Workspace{},
	}
	return &App{
		Accounts:   &Accounts{c: c, log: d.Log.Named("accounts")},
		Targets:    &Targets{c: c, log: d.Log.Named("targets")},
		Projects:   &Projects{c: c, log: d.Log.Named("projects")},
		Workspaces: &Workspaces{c: c, log: d.Log.Named("workspaces")},
		Sessions:   &Sessions{c: c, log: d.Log.Named("sessions")},
		Query:      &Query{c: c, log: d.Log.Named("query")},
		API:        &RawAPI{c: c, log: d.Log.Named("api")},
		Config:     &Config{c: c, log: d.Log.Named("config")},
	}
}

// emptyEnv is an environment with no variables set.
type emptyEnv struct{}

// LookupEnv implements ports.Env.
func (emptyEnv) LookupEnv(string) (string, bool) { return "", false }

// core is the state shared by the services: the ports, and what the App
// keeps in memory for its life — /me answers per account, answers of
// region probes waiting for their account to be added, and lazily
// resolved workspaces per (account, project); and the per-account locks
// that let one goroutine at a time refresh an account's tokens.
type core struct {
	deps Deps

	mu      sync.Mutex
	mem     map[domain.AccountName]memEntry
	probes  map[domain.AccountName]probed
	lazy    map[wsKey]domain.Workspace
	flights map[domain.AccountName]chan struct{}
	// meFlights serialises the network fetches of /me per account, so that
	// concurrent callers of one account make one request (the others
	// then find it in memory).
	meFlights map[domain.AccountName]chan struct{}
	// wsLists holds the workspace lists fetched from the workspaces
	// endpoint, per (account, project), for the life of the App.
	wsLists map[wsKey][]domain.Workspace
	// gen counts the changes to mem and wsLists; checks remembers the
	// answers of CheckIDs (checkmemo.go), valid while gen and the stores'
	// versions stay the same.
	gen    uint64
	checks map[checkKey]checkEntry
}

// input builds the resolver input for cfg and the caller's explicit
// selection, with a fresh snapshot of the resolver's environment variables.
func (c *core) input(sel domain.Selection, cfg domain.Config) domain.ResolveInput {
	return domain.ResolveInput{
		Env:      ports.EnvSnapshot(c.deps.Env, domain.ResolverEnvVars()...),
		Explicit: sel,
		Config:   cfg,
	}
}
