package app

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"

	"go.uber.org/zap"

	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
)

// This file holds the bridge: its discovery for the resolver, the token
// store over a bridge file, and the export and removal use cases.

// discoverBridge returns the bridge in effect, or nil when there is none
// or the App was built without a BridgeStore. A bridge that is present but
// unsafe or invalid is an error.
func (c *core) discoverBridge(ctx context.Context) (*domain.Bridge, error) {
	if c.deps.Bridges == nil {
		return nil, nil
	}
	b, ok, err := c.deps.Bridges.Discover(ctx)
	if err != nil {
		c.deps.Log.Debug("bridge discovery failed", zap.String("code", string(domain.CodeOf(err))))
		return nil, err
	}
	if !ok {
		return nil, nil
	}
	c.deps.Log.Debug("bridge in effect", zap.String("path", b.Path), zap.String("account", string(b.Account.Name)),
		zap.String("type", string(b.Account.Type)))
	return &b, nil
}

// load loads the config and discovers the bridge.
func (c *core) load(ctx context.Context) (domain.Config, *domain.Bridge, error) {
	cfg, err := c.deps.Config.Load(ctx)
	if err != nil {
		return domain.Config{}, nil, err
	}
	br, err := c.discoverBridge(ctx)
	if err != nil {
		return domain.Config{}, nil, err
	}
	return cfg, br, nil
}

// inputWith is input with the bridge br (nil: none). Without a bridge,
// MP_AUTH_FILE goes into the resolver's environment too, so that "no
// account configured" can say that the file it names is missing.
func (c *core) inputWith(sel domain.Selection, cfg domain.Config, br *domain.Bridge) domain.ResolveInput {
	in := c.input(sel, cfg)
	in.Bridge = br
	if br == nil && c.deps.Bridges != nil && c.deps.Env != nil {
		if v, ok := c.deps.Env.LookupEnv(domain.EnvAuthFile); ok && v != "" {
			in.Env[domain.EnvAuthFile] = v
		}
	}
	return in
}

// BridgePin names the bridge a long-lived session's account was resolved
// from: its path and its account. A library handle keeps it with its
// session and passes it with WithBridgePin to every call, so that the
// handle never silently runs as another account when the bridge in effect
// changes underneath (removed, replaced by another account's, or shadowed).
type BridgePin struct {
	// Path is the bridge file's path.
	Path string
	// Account is the bridge's account.
	Account domain.AccountName
}

// IsZero reports whether p pins nothing.
func (p BridgePin) IsZero() bool { return p == BridgePin{} }

// bridgePinKey is the context key of a BridgePin.
type bridgePinKey struct{}

// WithBridgePin returns ctx carrying pin (a zero pin: ctx itself). The use
// cases that resolve the session's account (those given no account name)
// then check that the account comes from that very bridge — same path,
// same account — and fail with CONFIG_ERROR otherwise, instead of
// resolving to whatever is in effect now.
func WithBridgePin(ctx context.Context, pin BridgePin) context.Context {
	if pin.IsZero() {
		return ctx
	}
	return context.WithValue(ctx, bridgePinKey{}, pin)
}

// bridgePinOf returns the pin ctx carries.
func bridgePinOf(ctx context.Context) (BridgePin, bool) {
	p, ok := ctx.Value(bridgePinKey{}).(BridgePin)
	return p, ok
}

// pinOf returns the pin of a session's account of origin o (zero when the
// account does not come from a bridge).
func pinOf(o origin) BridgePin {
	if o.bridge == nil {
		return BridgePin{}
	}
	return BridgePin{Path: o.bridge.Path, Account: o.bridge.Account.Name}
}

// checkPin fails when ctx pins a bridge and the resolved account, of
// origin o, does not come from it; br is the bridge in effect now.
func (c *core) checkPin(ctx context.Context, o origin, br *domain.Bridge) error {
	pin, ok := bridgePinOf(ctx)
	if !ok || pinOf(o) == pin {
		return nil
	}
	now := "there is no bridge in effect now"
	switch {
	case br == nil:
	case br.Path != pin.Path:
		now = "the bridge in effect now is " + br.Path
	case br.Account.Name != pin.Account:
		now = "it now holds account '" + string(br.Account.Name) + "'"
	default:
		now = "its account no longer wins the resolution"
	}
	c.deps.Log.Debug("the pinned bridge changed", zap.String("path", pin.Path), zap.String("account", string(pin.Account)))
	return domain.NewError(domain.CodeConfigError,
		"the bridge in effect changed: this session uses account '%s' of the bridge %s, but %s", pin.Account, pin.Path, now).
		WithDetail("path", pin.Path).
		WithDetail("account", string(pin.Account)).
		WithHint("open a new handle (mp.Open) to use what is in effect now, or Use an account by name (mp.WithAccount)")
}

// bridges returns the bridge store, or an error when the App was built
// without one.
func (c *core) bridges() (ports.BridgeStore, error) {
	if c.deps.Bridges == nil {
		return nil, domain.NewError(domain.CodeConfigError, "this mp was built without bridge support").
			WithHint("build the app with app.Deps.Bridges set (internal/wiring does)")
	}
	return c.deps.Bridges, nil
}

// tokensOf returns where the OAuth tokens of an account of origin o live:
// the bridge file for the bridge's account, else the token store.
func (c *core) tokensOf(o origin) (ports.TokenStore, error) {
	if o.bridge == nil {
		return c.tokenStore()
	}
	store, err := c.bridges()
	if err != nil {
		return nil, err
	}
	return bridgeTokens{store: store, bridge: o.bridge}, nil
}

// bridgeTokens is a ports.TokenStore over the tokens of one bridge file,
// so that the refresh logic (single flight, lock, re-read and adopt,
// merge, save) works unchanged on a bridge: the lock is <bridge>.lock, a
// load re-reads the bridge and a save writes the tokens back into it
// atomically. It serves only the bridge's account.
type bridgeTokens struct {
	store  ports.BridgeStore
	bridge *domain.Bridge
}

var _ ports.TokenStore = bridgeTokens{}

// Load re-reads the bridge's tokens.
func (b bridgeTokens) Load(ctx context.Context, account domain.AccountName) (domain.Tokens, bool, error) {
	if err := b.check(account); err != nil {
		return domain.Tokens{}, false, err
	}
	got, err := b.store.Load(ctx, b.bridge.Path)
	if err != nil {
		return domain.Tokens{}, false, err
	}
	if got.Account.Name != account || got.Tokens == nil {
		return domain.Tokens{}, false, domain.NewError(domain.CodeConfigError,
			"bridge %s no longer holds the tokens of account '%s'", b.bridge.Path, account).
			WithDetail("path", b.bridge.Path).
			WithDetail("account", string(account)).
			WithHint("export the bridge again on the host: mp account export-bridge --to PATH")
	}
	return *got.Tokens, true, nil
}

// Save writes the tokens back into the bridge file.
func (b bridgeTokens) Save(ctx context.Context, account domain.AccountName, tokens domain.Tokens) error {
	if err := b.check(account); err != nil {
		return err
	}
	return b.store.WriteTokens(ctx, b.bridge.Path, tokens)
}

// Delete is refused: a bridge's tokens go with the bridge
// (`mp account remove-bridge`).
func (b bridgeTokens) Delete(_ context.Context, account domain.AccountName) (bool, error) {
	return false, domain.NewError(domain.CodeInvalidArgument,
		"the tokens of account '%s' live in the bridge %s and go with it", account, b.bridge.Path).
		WithDetail("path", b.bridge.Path).
		WithHint("mp account remove-bridge --at %s", b.bridge.Path)
}

// LockRefresh takes the lock on <bridge>.lock.
func (b bridgeTokens) LockRefresh(ctx context.Context, account domain.AccountName) (func(), error) {
	if err := b.check(account); err != nil {
		return nil, err
	}
	return b.store.Lock(ctx, b.bridge.Path)
}

// check refuses any account but the bridge's.
func (b bridgeTokens) check(account domain.AccountName) error {
	if account != b.bridge.Account.Name {
		return domain.NewError(domain.CodeConfigError, "bridge %s holds account '%s', not '%s'", b.bridge.Path, b.bridge.Account.Name, account).
			WithDetail("path", b.bridge.Path)
	}
	return nil
}

// bridgeOnlyAccount returns the bridge in effect when name is its account
// and the config has no account of that name — an account that lives in
// the bridge file only, so no config change can be made for it; nil
// otherwise, and when the config or the bridge cannot be read (the change
// itself then reports that).
func (c *core) bridgeOnlyAccount(ctx context.Context, name domain.AccountName) *domain.Bridge {
	cfg, br, err := c.load(ctx)
	if err != nil || br == nil || br.Account.Name != name {
		return nil
	}
	if _, ok := cfg.Account(name); ok {
		return nil
	}
	return br
}

// errBridgeAccountReadOnly is the CONFIG_ERROR for an attempt to change the
// bridge's account, which is not stored in the config. action says what
// was tried.
func errBridgeAccountReadOnly(b *domain.Bridge, action string) *domain.Error {
	return domain.NewError(domain.CodeConfigError,
		"cannot %s account '%s': it comes from the bridge %s and is not stored in the config", action, b.Account.Name, b.Path).
		WithDetail("account", string(b.Account.Name)).
		WithDetail("path", b.Path).
		WithHint("pass --project/--workspace for this run, or export the bridge again on the host with --project/--workspace")
}

// BridgeExport asks Accounts.ExportBridge for a bridge file.
type BridgeExport struct {
	// To is the path to write (required). The CLI makes it absolute.
	To string
	// Account is the account to export; empty means the resolved account
	// (docs/reference/resolution.md: the environment's MP_ACCOUNT/MP_TARGET, the bridge's
	// account, the active account).
	Account domain.AccountName
	// Project pins a project in the bridge; zero pins none (for the
	// bridge's own account: its pinned project).
	Project domain.ProjectID
	// Workspace pins a workspace in the bridge; zero pins none (for the
	// bridge's own account: its pinned workspace).
	Workspace domain.WorkspaceID
}

// BridgeExportResult is the outcome of Accounts.ExportBridge; it holds no
// secret.
type BridgeExportResult struct {
	// Path is the bridge file written.
	Path string `json:"path"`
	// Account is the exported account's name.
	Account string `json:"account"`
	// Type is the exported account's type.
	Type string `json:"type"`
	// Region is the exported account's region.
	Region string `json:"region"`
	// Project is the pinned project, if any.
	Project *string `json:"project"`
	// Workspace is the pinned workspace, if any.
	Workspace *int64 `json:"workspace"`
	// Headers are the names of the headers the bridge carries.
	Headers []string `json:"headers"`
	// TokensIncluded says whether OAuth tokens went into the bridge.
	TokensIncluded bool `json:"tokens_included"`
	// RefreshCapable says whether they include a refresh token.
	RefreshCapable bool `json:"refresh_capable"`
	// TokenEnv is the variable an oauth_token account with token_env reads
	// on the machine that uses the bridge (its value is never exported).
	TokenEnv string `json:"token_env,omitempty"`
	// SharedRefreshToken says that the bridge carries the refresh token the
	// exporting machine keeps using too (an oauth_browser account): the
	// refresh token rotates on every refresh, so whichever side refreshes
	// second gets OAUTH_REFRESH_REVOKED and must log in again. Warning says
	// so, with the way around it (a separate account for the bridge).
	SharedRefreshToken bool `json:"shared_refresh_token,omitempty"`
	// Warning is the warning to show about SharedRefreshToken; empty when
	// there is nothing to warn about.
	Warning string `json:"warning,omitempty"`
	// InEffectHere says that the bridge was written to a place where mp
	// looks for a bridge on this very machine (MP_AUTH_FILE,
	// ~/.claude/mixpanel/auth.json, ./mixpanel_auth.json) and is now the
	// bridge in effect here, while the config has accounts of its own: its
	// account then ranks above [active] (docs/reference/resolution.md) in every run
	// without --account/--target. InEffectWarning says so, with the fix.
	InEffectHere bool `json:"in_effect_here,omitempty"`
	// InEffectWarning is the warning to show about InEffectHere; empty
	// otherwise.
	InEffectWarning string `json:"in_effect_warning,omitempty"`
}

// sharedRefreshWarning is the warning of a bridge that shares its refresh
// token with the machine that exported it.
func sharedRefreshWarning(account domain.AccountName) string {
	return fmt.Sprintf("the bridge shares the refresh token of account '%s' with this machine; "+
		"refresh tokens rotate on every refresh, so whichever side refreshes second gets OAUTH_REFRESH_REVOKED (invalid_grant) and has to log in again. "+
		"To avoid it, give the bridge an account of its own: mp account add %s-vm --type oauth_browser --region REGION, "+
		"mp account login %s-vm, then mp account export-bridge --account %s-vm --to PATH", account, account, account, account)
}

// ExportBridge writes a bridge file for one account (docs/reference/bridge.md): the
// account with its secrets, the OAuth tokens of an oauth_browser account,
// the pinned project and workspace, and the host's [settings].custom_header
// as a bridge header. The file is written atomically with mode 0600
// (parents 0700), under <bridge>.lock.
//
// Secrets are read where the app reads them everywhere (serviceSecret,
// staticToken, the token store), so other secret backends apply here too.
// An oauth_browser account without tokens is OAUTH_TOKEN_ERROR and nothing
// is written. An oauth_token account with token_env is exported with
// token_env, not with the variable's value: mp never copies an environment
// secret into a file; the machine that uses the bridge must set the
// variable. Accounts built from the environment cannot be exported
// (INVALID_ARGUMENT): they exist only in the environment by design.
// Exporting the bridge's own account (on a machine with a bridge) carries
// its tokens, pins and headers over, so that re-exporting a bridge gives
// the same bytes.
func (s *Accounts) ExportBridge(ctx context.Context, req BridgeExport) (BridgeExportResult, error) {
	if req.To == "" {
		return BridgeExportResult{}, domain.NewError(domain.CodeInvalidArgument, "export-bridge needs the path to write (--to PATH)").
			WithDetail("flag", "--to").
			WithHint("pass --to PATH, e.g. --to ~/vm-auth.json, and copy the file to ~/.claude/mixpanel/auth.json on the other machine (there is no default: a bridge in the current directory could end up in a repository)")
	}
	if req.Project.IsSet() {
		if _, err := domain.ParseProjectID(string(req.Project)); err != nil {
			return BridgeExportResult{}, err
		}
	}
	if req.Workspace != 0 {
		if _, err := domain.NewWorkspaceID(int64(req.Workspace)); err != nil {
			return BridgeExportResult{}, err
		}
	}
	store, err := s.c.bridges()
	if err != nil {
		return BridgeExportResult{}, err
	}
	ra, err := s.exportAccount(ctx, req.Account)
	if err != nil {
		return BridgeExportResult{}, err
	}
	if ra.origin.env {
		return BridgeExportResult{}, domain.NewError(domain.CodeInvalidArgument,
			"cannot export account '%s': it is built from the environment variables %s, and mp does not copy environment secrets into files", ra.account.Name, envVarsOf(ra.account.Name)).
			WithDetail("account", string(ra.account.Name)).
			WithHint("add it to the config first (mp account add / mp login) and export that account, or pass --account NAME")
	}
	// Exporting the bridge's own account over its own file reads its
	// tokens under the lock, so that a refresh running meanwhile (which
	// rotates the refresh token) is not undone by writing back the tokens
	// read before it. Otherwise the lock is taken only once the bridge is
	// built, so a failed export leaves no lock file behind; the store
	// refuses to lock a target that could not be written (a directory, a
	// symlink …) without creating anything.
	underLock := ra.origin.bridge != nil && filepath.Clean(ra.origin.bridge.Path) == filepath.Clean(req.To)
	var unlock func()
	if underLock {
		if unlock, err = store.Lock(ctx, req.To); err != nil {
			return BridgeExportResult{}, err
		}
		defer unlock()
	}
	b, err := s.bridgeFor(ctx, ra, req)
	if err != nil {
		return BridgeExportResult{}, err
	}
	if !underLock {
		if unlock, err = store.Lock(ctx, req.To); err != nil {
			return BridgeExportResult{}, err
		}
		defer unlock()
	}
	if err := store.Write(ctx, req.To, b); err != nil {
		s.log.Debug("writing the bridge failed", zap.String("path", req.To), zap.String("code", string(domain.CodeOf(err))))
		return BridgeExportResult{}, err
	}
	s.log.Debug("exported bridge", zap.String("path", req.To), zap.String("account", string(b.Account.Name)),
		zap.Bool("tokens", b.Tokens != nil))
	res := exportResult(req.To, b)
	if !underLock {
		// (A bridge exported over itself was in effect before already.)
		s.checkInEffectHere(ctx, store, ra.cfg, b, req.To, &res)
	}
	return res, nil
}

// checkInEffectHere fills res.InEffectHere and res.InEffectWarning when
// the bridge b just written at path is the bridge in effect on this
// machine and cfg has accounts of its own, which the bridge's account now
// shadows: following a recipe meant for the other machine (--to
// ~/.claude/mixpanel/auth.json) on the host silently takes over the
// host's account choice otherwise. A failure to look only logs.
func (s *Accounts) checkInEffectHere(ctx context.Context, store ports.BridgeStore, cfg domain.Config, b domain.Bridge, path string, res *BridgeExportResult) {
	if cfg.AccountCount() == 0 {
		return
	}
	at, ok, err := store.Locate(ctx)
	if err != nil {
		s.log.Debug("could not tell whether the bridge is in effect here", zap.String("path", path), zap.String("code", string(domain.CodeOf(err))))
		return
	}
	if !ok || filepath.Clean(at) != filepath.Clean(path) {
		return
	}
	instead := "instead of the active account"
	if active := cfg.Active().Account; active != "" {
		instead = fmt.Sprintf("instead of the active account '%s'", active)
	}
	msg := fmt.Sprintf("%s is a place where mp looks for a bridge on this machine, so this bridge is now in effect here and overrides [active]: "+
		"every command without --account or --target runs as account '%s' %s, and `mp account use`, `mp project use` and `mp target use` do not change that", path, b.Account.Name, instead)
	if b.Tokens != nil {
		msg += fmt.Sprintf("; its OAuth tokens are refreshed inside the bridge file, rotating the refresh token this machine keeps for '%s'", b.Account.Name)
	}
	msg += fmt.Sprintf(". For another machine, write the bridge elsewhere (--to ~/vm-auth.json) and copy it to ~/.claude/mixpanel/auth.json there; to undo it here: mp account remove-bridge --at %s", path)
	res.InEffectHere, res.InEffectWarning = true, msg
	s.log.Debug("the exported bridge is in effect here", zap.String("path", path), zap.String("account", string(b.Account.Name)))
}

// bridgeShadow returns the bridge's path and a note when the bridge br takes
// precedence over a selection just saved in cfg: in a run given no
// --account/--target (nor MP_ACCOUNT, MP_TARGET or an account built from the
// environment) the bridge's account ranks above [active]
// (docs/reference/resolution.md), so the saved selection does not apply there.
// what names that selection ("the active account 'tok'"). Both are empty
// otherwise.
func (c *core) bridgeShadow(cfg domain.Config, br *domain.Bridge, what string) (path, note string) {
	if br == nil {
		return "", ""
	}
	_, prov, err := domain.ResolveAccount(c.inputWith(domain.Selection{}, cfg, br))
	if err != nil || prov.Winner.Source.Kind != domain.SourceBridge {
		return "", ""
	}
	return br.Path, fmt.Sprintf("the bridge %s is in effect on this machine and ranks above [active]: commands without --account or --target still run as its account '%s' "+
		"and ignore %s. If the bridge was meant for another machine, remove it here: mp account remove-bridge --at %s",
		br.Path, br.Account.Name, what, br.Path)
}

// discoverBridgeQuietly is discoverBridge for a note after a change that
// has been made: a bridge that cannot be read gives no note (nil), and is
// reported by the next command that resolves.
func (c *core) discoverBridgeQuietly(ctx context.Context) *domain.Bridge {
	br, err := c.discoverBridge(ctx)
	if err != nil {
		return nil
	}
	return br
}

// exportAccount picks the account to export. A config account named
// explicitly needs no bridge discovery, so that a damaged bridge in effect
// here (at the very path being exported to, say) does not stand in the way
// of writing a good one; otherwise the account is resolved as usual.
func (s *Accounts) exportAccount(ctx context.Context, name domain.AccountName) (resolvedAccount, error) {
	if name != "" {
		cfg, err := s.c.deps.Config.Load(ctx)
		if err != nil {
			return resolvedAccount{}, err
		}
		if a, ok := cfg.Account(name); ok {
			return resolvedAccount{account: a, cfg: cfg}, nil
		}
	}
	return s.c.account(ctx, domain.Selection{}, name)
}

// bridgeFor builds the bridge of the account ra, reading its secrets.
func (s *Accounts) bridgeFor(ctx context.Context, ra resolvedAccount, req BridgeExport) (domain.Bridge, error) {
	a := ra.account
	// The config's custom header; for the bridge's own account, with the
	// bridge's headers on top (as its sessions send them). A config
	// account never picks up the headers of a bridge in effect here.
	headers := headersOf(ra.cfg)
	if ra.origin.bridge != nil {
		headers = ra.headers()
	}
	b := domain.Bridge{Account: a, Project: req.Project, Workspace: req.Workspace, Headers: headers}
	// A secret kept in a secret store (External) goes into the bridge
	// inline: the bridge is self-contained.
	b.Account.External = false
	if src := ra.origin.bridge; src != nil && !req.Project.IsSet() && req.Workspace == 0 {
		b.Project, b.Workspace = src.Project, src.Workspace
	}
	switch a.Type {
	case domain.TypeServiceAccount:
		secret, err := s.c.serviceSecret(ctx, a)
		if err != nil {
			return domain.Bridge{}, err
		}
		b.Account.Secret = secret
	case domain.TypeOAuthToken:
		if a.TokenEnv == "" {
			tok, err := s.c.staticToken(ctx, a)
			if err != nil {
				return domain.Bridge{}, err
			}
			b.Account.Token = tok
		}
	case domain.TypeOAuthBrowser:
		store, err := s.c.tokensOf(ra.origin)
		if err != nil {
			return domain.Bridge{}, err
		}
		t, err := s.c.loadTokens(ctx, store, a.Name)
		if err != nil {
			return domain.Bridge{}, err
		}
		b.Tokens = &t
	default:
		return domain.Bridge{}, errUnknownType(a)
	}
	if err := b.Validate(); err != nil {
		return domain.Bridge{}, err
	}
	return b, nil
}

// exportResult describes the bridge b written at path.
func exportResult(path string, b domain.Bridge) BridgeExportResult {
	r := BridgeExportResult{
		Path: path, Account: string(b.Account.Name), Type: string(b.Account.Type), Region: string(b.Account.Region),
		Headers: make([]string, 0, len(b.Headers)), TokenEnv: b.Account.TokenEnv,
	}
	if b.Project.IsSet() {
		p := string(b.Project)
		r.Project = &p
	}
	if b.Workspace.IsSet() {
		w := int64(b.Workspace)
		r.Workspace = &w
	}
	for _, h := range b.Headers {
		r.Headers = append(r.Headers, h.Name)
	}
	if b.Tokens != nil {
		r.TokensIncluded = true
		r.RefreshCapable = !b.Tokens.RefreshToken.IsZero()
	}
	if r.RefreshCapable {
		r.SharedRefreshToken = true
		r.Warning = sharedRefreshWarning(b.Account.Name)
	}
	return r
}

// BridgeRemoveResult is the outcome of Accounts.RemoveBridge.
type BridgeRemoveResult struct {
	// Path is the bridge file removed, or looked for; empty when no
	// location held one.
	Path string `json:"path"`
	// Removed says whether a file was removed.
	Removed bool `json:"removed"`
}

// RemoveBridge deletes the bridge file at the path at, or — for an empty
// at — the first file found in the discovery order (docs/reference/files.md),
// under <bridge>.lock so that a refresh in progress cannot write it back.
// Removing nothing is not an error: Removed says what happened. A symlink
// or anything but a regular file is refused (CREDENTIAL_FILE_UNSAFE).
// The lock file beside it stays.
func (s *Accounts) RemoveBridge(ctx context.Context, at string) (BridgeRemoveResult, error) {
	store, err := s.c.bridges()
	if err != nil {
		return BridgeRemoveResult{}, err
	}
	if at == "" {
		p, ok, err := store.Locate(ctx)
		if err != nil {
			return BridgeRemoveResult{}, err
		}
		if !ok {
			s.log.Debug("no bridge to remove")
			return BridgeRemoveResult{}, nil
		}
		at = p
	} else if _, err := store.Load(ctx, at); errors.Is(err, fs.ErrNotExist) {
		// Nothing there: do not create a lock file (and its directories)
		// next to a path that holds nothing. A damaged or unsafe bridge is
		// still removed below (Remove itself refuses symlinks).
		s.log.Debug("no bridge to remove", zap.String("path", at))
		return BridgeRemoveResult{Path: at}, nil
	}
	unlock, err := store.Lock(ctx, at)
	if err != nil {
		return BridgeRemoveResult{}, err
	}
	defer unlock()
	removed, err := store.Remove(ctx, at)
	if err != nil {
		return BridgeRemoveResult{}, err
	}
	s.log.Debug("removed bridge", zap.String("path", at), zap.Bool("removed", removed))
	return BridgeRemoveResult{Path: at, Removed: removed}, nil
}
