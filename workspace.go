package mp

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/internal/version"
	"github.com/mpdata/mp/internal/wiring"
	"github.com/mpdata/mp/ports"
)

// engine is what handles opened from one another share: the use cases
// with their single HTTP client (one connection pool), the in-memory /me
// answers per account and the lazily resolved workspace per (account,
// project).
type engine struct {
	app  *app.App
	http *http.Client
}

// Workspace is a handle on mp: a session (account, project, workspace)
// that every call uses, over an engine that keeps one HTTP client and the
// caches for the handle's life. Switch the session with Use; it costs no
// network round trip.
//
// A Workspace is safe for concurrent use by many goroutines. Calls read
// the session at their start, so a call that runs while another goroutine
// switches uses either the old or the new session, never a mix. For
// parallel work where each goroutine needs its own session, give each one
// a handle of its own with Fork: the handles share the engine.
type Workspace struct {
	eng *engine

	// Accounts manages the accounts of the config (`mp account …`).
	Accounts *Accounts
	// Targets manages saved targets (`mp target …`).
	Targets *Targets

	useMu sync.Mutex // one Use at a time, so each starts from the last one's result

	mu   sync.RWMutex
	st   state
	zero bool // no session resolved yet (no account was configured)
}

// Open returns a handle on mp. Options choose the files (WithConfigPath,
// WithStorageDir; default from MP_CONFIG_PATH, MP_OAUTH_STORAGE_DIR or
// ~/.mp), the environment (WithEnv), the HTTP client, the logger and the
// session (WithAccount, WithProject, WithWorkspace, WithTarget; default:
// the resolution chain — environment, then a bridge file, then the
// config's active account and its default project). Open reads the config
// and looks for a bridge file (MP_AUTH_FILE, ~/.claude/mixpanel/auth.json,
// ./mixpanel_auth.json) but makes no network call.
//
// When no account is configured at all and no selection was given, Open
// still returns a handle — so that Accounts.Add or Accounts.Login can set
// one up — whose data calls fail with CONFIG_ERROR until there is an
// account. Any other resolution error (unknown account, unknown target,
// an oauth_browser account that is not logged in, …) is returned as an
// *Error.
func Open(ctx context.Context, opts ...Option) (*Workspace, error) {
	var c openConfig
	for _, o := range opts {
		if o != nil {
			o.applyOpen(&c)
		}
	}
	var eng *engine
	var err error
	if c.memorySet {
		eng, err = newMemoryEngine(ctx, c)
	} else {
		eng, err = newEngine(c)
	}
	if err != nil {
		return nil, wrap(err)
	}
	w := newWorkspace(eng)
	sel := merge(domain.Selection{}, c.sel)
	r, err := eng.app.Sessions.CheckSession(ctx, sel)
	if err != nil {
		if !c.sel.explicit() && domain.CodeOf(err) == domain.CodeConfigError && noAccounts(ctx, eng) {
			w.st, w.zero = state{sel: sel}, true
			return w, nil
		}
		return nil, wrap(err)
	}
	w.st = newState(sel, r)
	return w, nil
}

// newWorkspace returns a handle over eng with its namespaces.
func newWorkspace(eng *engine) *Workspace {
	w := &Workspace{eng: eng}
	w.Accounts = &Accounts{w: w}
	w.Targets = &Targets{w: w}
	return w
}

// Fork returns a new handle over the same engine — HTTP client, connection
// pool, /me and workspace caches — that starts in this handle's current
// session, or in a snapshot's with WithSession, with the other options
// applied on top as Use applies them. The two handles switch
// independently. Fork is the way to fan out parallel work where each
// goroutine needs its own session; it costs no network round trip for
// sessions already seen. On error no handle is returned.
func (w *Workspace) Fork(ctx context.Context, opts ...UseOption) (*Workspace, error) {
	f := newWorkspace(w.eng)
	st := w.Session()
	f.st, f.zero = st.st, st.zero
	var u selectConfig
	for _, o := range opts {
		if o != nil {
			o.applyUse(&u)
		}
	}
	if u.session == nil && !u.explicit() && !u.persist {
		return f, nil
	}
	if err := f.use(ctx, u); err != nil {
		return nil, err
	}
	return f, nil
}

// noAccounts reports whether the config holds no account at all.
func noAccounts(ctx context.Context, eng *engine) bool {
	list, err := eng.app.Accounts.List(ctx)
	return err == nil && len(list) == 0
}

// newEngine resolves the settings of c (wiring.Resolve over the
// environment, then the options on top) and builds the use cases through
// wiring.Build — the entry point the mp command uses too.
//
// Without WithEnv the handle reads a snapshot of the process environment
// taken here, for its whole life. With WithEnv it reads nothing of the
// process's surroundings: the home directory is the map's HOME (none: no
// ~/.claude/mixpanel/auth.json, and both paths must be given), and the
// current directory is WithWorkDir's (none: no ./mixpanel_auth.json).
func newEngine(c openConfig) (*engine, error) {
	env := processEnv()
	if c.envSet {
		env = envMap(c.env)
	}
	// The home directory locates ~/.mp (unless both paths are given) and
	// ~/.claude/mixpanel/auth.json, where a bridge may be.
	home, err := homeDir(env, c.envSet)
	if err != nil {
		if c.configPath == "" || c.storageDir == "" {
			return nil, err
		}
		home = ""
	}
	cfg, storage := wiring.Paths(env, home)
	if c.configPath != "" {
		cfg = wiring.ConfigPath(filepath.Clean(c.configPath))
	}
	if c.storageDir != "" {
		storage = wiring.StorageDir(filepath.Clean(c.storageDir))
	}
	// Settings of the config the handle uses: read once, never the
	// default config's when WithConfigPath names another.
	s := wiring.ResolveAt(env, home, cfg, storage)
	switch {
	case c.workDirSet && c.workDir != "":
		wd, err := filepath.Abs(c.workDir)
		if err != nil {
			return nil, domain.NewError(domain.CodeInvalidArgument, "WithWorkDir: cannot make %s absolute", c.workDir).WithCause(err).
				WithHint("pass an absolute directory")
		}
		s.WorkDir = wiring.WorkDir(wd)
	case c.workDirSet, c.envSet:
		s.WorkDir = ""
	}
	s.Bridges = c.bridges
	if kc := c.keychain; kc != nil {
		s.Keychain = func() ports.SecretStore { return keychainPort{kc} }
	}
	if err := c.applyCommon(&s); err != nil {
		return nil, err
	}
	a, err := wiring.Build(s)
	if err != nil {
		return nil, err
	}
	return &engine{app: a, http: s.HTTPClient}, nil
}

// applyCommon applies to s the options every engine honours: the API
// base URL, the secret backend, the request timeout, the logger and the
// HTTP client; and sets the library's User-Agent.
func (c openConfig) applyCommon(s *wiring.Settings) error {
	if c.apiBaseURL != "" {
		s.APIBaseURL = wiring.APIBaseURL(c.apiBaseURL)
	}
	if c.secretBackend != "" {
		s.SecretBackend = domain.SecretBackend(c.secretBackend)
	}
	if c.timeoutSet {
		if c.timeout <= 0 {
			return domain.NewError(domain.CodeInvalidArgument, "WithRequestTimeout(%s): the per-call timeout must be greater than zero", c.timeout).
				WithHint("pass a positive duration such as 90*time.Second, or leave the option out (then MP_HTTP_TIMEOUT, else [settings] http_timeout, else no overall limit)")
		}
		s.RequestTimeout = wiring.RequestTimeout{Limit: c.timeout, Source: "mp.WithRequestTimeout"}
	}
	s.UserAgent = wiring.NewUserAgent(version.Get().Version, "lib")
	s.Log = c.logger
	s.HTTPClient = c.httpClient
	if s.HTTPClient == nil {
		s.HTTPClient = wiring.NewHTTPClient(*s)
	}
	return nil
}

// newMemoryEngine builds the engine of WithInMemoryConfig: the use cases
// over the memory backend, with the environment of WithEnv (none
// without it), then adds the accounts to the in-memory config in order
// (the first becomes the active one).
func newMemoryEngine(ctx context.Context, c openConfig) (*engine, error) {
	for _, conflict := range []struct {
		set  bool
		name string
	}{
		{c.configPath != "", "WithConfigPath"},
		{c.storageDir != "", "WithStorageDir"},
		{c.bridges != (wiring.BridgeChoice{}), "WithBridgePath or WithoutBridge"},
		{c.workDirSet, "WithWorkDir"},
		{c.keychain != nil, "WithKeychain"},
	} {
		if conflict.set {
			return nil, domain.NewError(domain.CodeInvalidArgument, "WithInMemoryConfig keeps everything in memory, so it cannot be combined with %s, which names a place on disk", conflict.name).
				WithHint("drop %s, or drop WithInMemoryConfig to use files", conflict.name)
		}
	}
	env := envMap{}
	if c.envSet {
		env = envMap(c.env)
	}
	s := wiring.ResolveMemory(env)
	if err := c.applyCommon(&s); err != nil {
		return nil, err
	}
	a, err := wiring.BuildMemory(s)
	if err != nil {
		return nil, err
	}
	for i, acct := range c.memory {
		if _, err := a.Accounts.Add(ctx, toDomainAccount(acct)); err != nil {
			return nil, fmt.Errorf("WithInMemoryConfig: account %d (%q): %w", i+1, acct.Name, err)
		}
	}
	return &engine{app: a, http: s.HTTPClient}, nil
}

// homeDir returns the home directory: with a WithEnv environment, its
// HOME (an error when it has none); else the user's home directory.
func homeDir(env ports.Env, envSet bool) (string, error) {
	if envSet {
		if h, ok := env.LookupEnv("HOME"); ok && h != "" {
			return h, nil
		}
		return "", domain.NewError(domain.CodeConfigError, "the WithEnv environment has no HOME, and the handle reads nothing of the real home directory").
			WithHint("put HOME in the WithEnv map, or pass both mp.WithConfigPath and mp.WithStorageDir (then no ~/.claude/mixpanel/auth.json is looked for)")
	}
	h, err := os.UserHomeDir()
	if err != nil || h == "" {
		e := domain.NewError(domain.CodeConfigError, "cannot determine the home directory, which holds ~/.mp").
			WithHint("set HOME, or pass both mp.WithConfigPath and mp.WithStorageDir")
		if err != nil {
			e = e.WithCause(err)
		}
		return "", e
	}
	return h, nil
}

// processEnv returns a snapshot of the process environment.
func processEnv() envMap {
	m := envMap{}
	for _, kv := range os.Environ() {
		if k, v, ok := strings.Cut(kv, "="); ok && k != "" {
			m[k] = v
		}
	}
	return m
}

// envMap is an environment given as a map (WithEnv).
type envMap map[string]string

// LookupEnv implements ports.Env.
func (m envMap) LookupEnv(k string) (string, bool) {
	v, ok := m[k]
	return v, ok
}

// merge returns the selection Use asks for: the selection base of the
// current session with the options of u on top. Another account resets
// the project and workspace, another project resets the workspace, unless
// they are given too; a target replaces everything (and conflicts, in the
// resolver, with an account, project or workspace of the same call).
func merge(base domain.Selection, u selectConfig) domain.Selection {
	if u.target != "" {
		return domain.Selection{
			Target: domain.TargetName(u.target), Account: domain.AccountName(u.account),
			Project: domain.ProjectID(u.project), Workspace: domain.WorkspaceID(u.workspace),
		}
	}
	next := base
	if u.explicit() {
		next.Target = ""
	}
	if u.account != "" && domain.AccountName(u.account) != next.Account {
		next = domain.Selection{Account: domain.AccountName(u.account)}
	}
	if u.project != "" && domain.ProjectID(u.project) != next.Project {
		next.Project, next.Workspace = domain.ProjectID(u.project), 0
	}
	if u.workspace != 0 {
		next.Workspace = domain.WorkspaceID(u.workspace)
	}
	return next
}

// Use switches the handle to another session: the options name the
// account, project, workspace or target to use (WithAccount, WithProject,
// WithWorkspace, WithTarget), or a snapshot to go back to (WithSession);
// Persist also writes the new session to the config. It is the one way to
// change a session, in memory or in the config.
//
// Use is atomic: it resolves and checks the new session first — an
// unknown account or target, or an oauth_browser account without stored
// tokens, is an *Error and the previous session stays in force — and only
// then switches. A project the call names (WithProject, or a target's)
// must be listed by the account's /me answer (PROJECT_NOT_FOUND
// otherwise), and a workspace it names (WithWorkspace, or a target's) must
// be one of that project's workspaces (INVALID_ARGUMENT otherwise). Those
// lists come from memory or the /me disk cache, else from one request made
// with ctx; a /me that cannot be reached is its error. The HTTP client,
// every account's /me answer, every project's workspace list and the
// lazily chosen workspace of each (account, project) are kept, so
// switching among accounts and projects already seen costs no round trip
// and no new connection.
func (w *Workspace) Use(ctx context.Context, opts ...UseOption) error {
	var u selectConfig
	for _, o := range opts {
		if o != nil {
			o.applyUse(&u)
		}
	}
	return w.use(ctx, u)
}

// use is Use over collected options.
func (w *Workspace) use(ctx context.Context, u selectConfig) error {
	w.useMu.Lock()
	defer w.useMu.Unlock()
	base := w.Session()
	if u.session != nil {
		if u.session.eng == nil {
			return wrap(domain.NewError(domain.CodeInvalidArgument, "WithSession got an empty Session").
				WithHint("take the snapshot with Workspace.Session"))
		}
		if u.session.eng != w.eng {
			return wrap(domain.NewError(domain.CodeInvalidArgument, "the session snapshot belongs to another engine").
				WithHint("use snapshots of this handle or of the handles forked from it"))
		}
		base = *u.session
		if !u.explicit() && !u.persist {
			w.set(base.st, base.zero)
			return nil
		}
	}
	sel := merge(base.st.sel, u)
	// Staying on the bridge's account (no account or target named): it
	// must still be the same bridge's.
	if sel.Account == "" && sel.Target == "" {
		ctx = app.WithBridgePin(ctx, base.st.bridge)
	}
	// The ids the caller names are checked against what the account can
	// see (its /me answer, the project's workspaces), fetched at most once.
	ids := app.IDCheck{Project: u.project != "" || u.target != "", Workspace: u.workspace != 0 || u.target != ""}
	r, err := w.eng.app.Sessions.CheckIDs(ctx, sel, ids)
	if err != nil {
		return wrap(err)
	}
	if u.persist {
		if err := w.eng.app.Sessions.Persist(ctx, r.Resolution); err != nil {
			return wrap(err)
		}
	}
	st := newState(sel, r)
	st.prov = keepCarried(base.st.prov, st.prov, u)
	w.set(st, false)
	return nil
}

// keepCarried returns the provenance of a session after Use: the axes
// the Use named (or reset by naming another account or project) come from
// next, those it carried over from the previous session keep prev's — the
// pinned selection would otherwise make every carried axis look given.
func keepCarried(prev, next axisProvs, u selectConfig) axisProvs {
	if prev.account == nil {
		return next
	}
	out := next
	account := u.account == "" && u.target == ""
	project := account && u.project == ""
	workspace := project && u.workspace == 0
	if account {
		out.account = prev.account
	}
	if project {
		out.project = prev.project
	}
	if workspace {
		out.workspace = prev.workspace
	}
	return out
}

// CloseIdleConnections closes the idle connections of the engine's HTTP
// client (shared with the handles seeded from this one's snapshots). The
// handles stay usable: the next call opens a new connection. Call it when
// a long-lived program is done with Mixpanel for a while.
func (w *Workspace) CloseIdleConnections() { w.eng.http.CloseIdleConnections() }

// set replaces the handle's session.
func (w *Workspace) set(st state, zero bool) {
	w.mu.Lock()
	w.st, w.zero = st, zero
	w.mu.Unlock()
}

// call returns what a call in the current session passes to the use
// cases: ctx with the session's bridge pin, and its selection — both from
// the same session, even while another goroutine switches.
func (w *Workspace) call(ctx context.Context) (context.Context, domain.Selection) {
	w.mu.RLock()
	st := w.st
	w.mu.RUnlock()
	return app.WithBridgePin(ctx, st.bridge), st.sel
}

// Session returns an immutable snapshot of the current session.
func (w *Workspace) Session() Session {
	w.mu.RLock()
	defer w.mu.RUnlock()
	return Session{eng: w.eng, st: w.st, zero: w.zero}
}

// Account returns the name of the session's account.
func (w *Workspace) Account() string { return w.Session().Account() }

// Project returns the session's project id.
func (w *Workspace) Project() ProjectID { return w.Session().Project() }

// WorkspaceID returns the session's workspace id, or 0 when none is set
// (workspace-scoped calls then use the project's default workspace).
func (w *Workspace) WorkspaceID() WorkspaceID { return w.Session().WorkspaceID() }

// Describe describes the handle's session as `mp session` does — account,
// project, workspace, the user's email, the bridge in effect — with names
// from the cached /me answer, never the network. With o.Explain it adds,
// per axis, which source won and which it shadowed.
func (w *Workspace) Describe(ctx context.Context, o DescribeOptions) (SessionDescription, error) {
	w.mu.RLock()
	st := w.st
	w.mu.RUnlock()
	v, err := w.eng.app.Sessions.Show(app.WithBridgePin(ctx, st.bridge), st.sel, o.Explain)
	if err != nil {
		return SessionDescription{}, wrap(err)
	}
	if p := st.prov; p.account != nil {
		v.Account.Source, v.Project.Source = p.account.Winner.Source.String(), p.project.Winner.Source.String()
		if v.Workspace != nil {
			v.Workspace.Source = p.workspace.Winner.Source.String()
		}
		if v.Explain != nil {
			v.Explain.Account, v.Explain.Project, v.Explain.Workspace = app.ExplainAxis(*p.account), app.ExplainAxis(*p.project), app.ExplainAxis(*p.workspace)
		}
	}
	return fromSessionView(v), nil
}

// Me returns the /me answer of the session's account: who the credentials
// belong to and what they can see. It is cached per account in memory for
// the engine's life and on disk (accounts/<name>/me.json) for 24 hours.
func (w *Workspace) Me(ctx context.Context) (Me, error) {
	ctx, sel := w.call(ctx)
	me, err := w.eng.app.Accounts.Me(ctx, sel, "", false)
	if err != nil {
		return Me{}, wrap(err)
	}
	return fromMe(me), nil
}

// Projects lists the projects the session's account can see (from its
// /me answer), sorted by name; the session's project is marked IsActive.
func (w *Workspace) Projects(ctx context.Context) ([]ProjectSummary, error) {
	ctx, sel := w.call(ctx)
	list, err := w.eng.app.Projects.List(ctx, sel, false)
	if err != nil {
		return nil, wrap(err)
	}
	return fromProjectSummaries(list), nil
}

// Workspaces lists the workspaces of the session's project.
func (w *Workspace) Workspaces(ctx context.Context) ([]WorkspaceSummary, error) {
	ctx, sel := w.call(ctx)
	list, err := w.eng.app.Workspaces.List(ctx, sel, false)
	if err != nil {
		return nil, wrap(err)
	}
	return fromWorkspaceSummaries(list), nil
}

// Segmentation runs a segmentation query on the session's project (like
// `mp query segmentation`); the dates are validated first.
func (w *Workspace) Segmentation(ctx context.Context, q SegmentationQuery) (SegmentationResult, error) {
	ctx, sel := w.call(ctx)
	res, err := w.eng.app.Query.Segmentation(ctx, sel, toDomainQuery(q))
	if err != nil {
		return SegmentationResult{}, wrap(err)
	}
	return fromSegmentation(res), nil
}

// EventNames returns up to limit event names of the session's project
// (0: the default of 255), like `mp inspect events`.
func (w *Workspace) EventNames(ctx context.Context, limit int) ([]string, error) {
	ctx, sel := w.call(ctx)
	names, err := w.eng.app.Query.EventNames(ctx, sel, limit)
	return names, wrap(err)
}

// Do sends an authenticated raw request to any Mixpanel endpoint of the
// session's region (like `mp api`); {project_id} and {workspace_id} in the
// path are filled in from the session. The body comes back for every
// status; a non-2xx status also returns an *Error.
func (w *Workspace) Do(ctx context.Context, req RawRequest) (RawResponse, error) {
	ctx, sel := w.call(ctx)
	res, err := w.eng.app.API.Do(ctx, sel, toDomainRaw(req))
	return RawResponse{Status: res.Status, ContentType: res.ContentType, Body: res.Body}, wrap(err)
}
