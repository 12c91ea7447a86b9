package app

import (
	"context"
	"errors"
	"strings"

	"go.uber.org/zap"

	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
)

// This file is where the app reads and writes an account's secrets: the
// service account secret, the static bearer and the OAuth token store,
// over the secret backends of Deps.Secrets.
//
// Where a secret lives:
//   - service_account secret, oauth_token token: inline in config.toml
//     (the file backend, what the Python tool reads), or — when the account
//     block holds an empty value (Account.External) — printed by the
//     account's [settings.secret_commands] command when it has one, else
//     in the OS keychain;
//   - oauth_browser tokens: where [settings.token_backends] records them —
//     the keychain — else accounts/<name>/tokens.json (what the Python tool
//     reads). Nothing else is probed: the record is written in the same
//     config transaction that puts tokens in the keychain (login,
//     migration) or takes them out (logout, removal, migration);
//   - the refresh lock is accounts/<name>/.refresh.lock for every backend.
//
// A keychain write made inside a config transaction is undone when the
// transaction fails — unless the config, read again, shows that the
// transaction was committed after all (a store can report a failure after
// the new file is in place); when the config cannot be read the write is
// kept: an orphaned keychain item is better than a lost secret.

// SecretStores are the secret backends an App reaches.
type SecretStores struct {
	// Backend is the explicit choice of where new secrets go
	// (MP_SECRET_BACKEND, mp.WithSecretBackend); it beats the config.
	// Empty: each write follows [settings] secret_backend of the config
	// its transaction loaded, else the file backend — so that a
	// long-lived App follows a migration (MigrateSecrets sets the
	// setting) without being built again.
	Backend domain.SecretBackend
	// File holds accounts/<name>/ files; its token-set kind is tokens.json.
	// Nil: only Deps.Tokens reaches tokens.json.
	File ports.SecretStore
	// Keychain is the OS keychain; nil when this App has none.
	Keychain ports.SecretStore
	// Exec runs the commands of [settings.secret_commands]; nil when none.
	Exec ports.SecretStore
}

// backendFor returns the backend a write goes to: the explicit choice
// (Deps.Secrets.Backend) when there is one, else [settings] secret_backend
// of cfg — the config the write's transaction loaded — else file.
func (c *core) backendFor(cfg domain.Config) domain.SecretBackend {
	if b := c.deps.Secrets.Backend; b != "" {
		return b.OrDefault()
	}
	return cfg.Settings().SecretBackend.OrDefault()
}

// SecretStore values of AccountSummary.SecretStore.
const (
	storeConfig   = "config"
	storeEnv      = "env"
	storeExec     = "exec"
	storeKeychain = "keychain"
	storeFile     = "file"
	storeBridge   = "bridge"
)

// secretStoreOf says where a config account's secrets live, as far as the
// config tells: config, env, exec or keychain; for oauth_browser, the
// backend of the settings (file or keychain).
func secretStoreOf(cfg domain.Config, a domain.Account) string {
	switch a.Type {
	case domain.TypeServiceAccount, domain.TypeOAuthToken:
		switch {
		case a.TokenEnv != "":
			return storeEnv
		case !a.External:
			return storeConfig
		case cfg.HasSecretCommand(a.Name):
			return storeExec
		}
		return storeKeychain
	case domain.TypeOAuthBrowser:
		if cfg.TokenBackend(a.Name) == domain.SecretBackendKeychain {
			return storeKeychain
		}
		return storeFile
	}
	return ""
}

// secretLocation says where a config account's secrets live, from the
// config alone (see secretStoreOf): it never reaches the keychain or a
// file.
func (c *core) secretLocation(cfg domain.Config, a domain.Account) string {
	c.noteIgnoredCommand(cfg, a)
	return secretStoreOf(cfg, a)
}

// noteIgnoredCommand logs (debug) a [settings.secret_commands] entry that
// mp does not use for a: commands serve only service_account secrets and
// oauth_token tokens kept outside config.toml (an empty value).
func (c *core) noteIgnoredCommand(cfg domain.Config, a domain.Account) {
	if !cfg.HasSecretCommand(a.Name) {
		return
	}
	why := ""
	switch {
	case a.Type == domain.TypeOAuthBrowser:
		why = "oauth_browser tokens need a writable backend"
	case a.TokenEnv != "":
		why = "the account reads its token from token_env"
	case !a.External:
		why = "the account's secret is inline in config.toml (an empty value would use the command)"
	default:
		return
	}
	c.deps.Log.Debug("secret command ignored", zap.String("account", string(a.Name)), zap.String("why", why))
}

// kindOf returns the secret kind of an account's inline credential.
func kindOf(t domain.AccountType) ports.SecretKind {
	if t == domain.TypeOAuthToken {
		return ports.SecretStaticToken
	}
	return ports.SecretServiceAccount
}

// serviceSecret returns the secret of a service account: the one held in
// its record, or the external one.
func (c *core) serviceSecret(ctx context.Context, acct domain.Account) (domain.Secret, error) {
	if acct.External {
		return c.externalSecret(ctx, acct)
	}
	return acct.Secret, nil
}

// staticToken returns the token of an oauth_token account: the inline one,
// the external one, or the value of its token_env variable read now. An
// unset or empty variable is CONFIG_ERROR naming it (no request is made).
func (c *core) staticToken(ctx context.Context, acct domain.Account) (domain.Secret, error) {
	if acct.External {
		return c.externalSecret(ctx, acct)
	}
	if acct.TokenEnv == "" {
		return acct.Token, nil
	}
	v, ok := c.deps.Env.LookupEnv(acct.TokenEnv)
	v = strings.TrimSpace(v)
	if v == "" {
		state := "which is not set"
		if ok {
			state = "which is empty"
		}
		// Nothing was sent, so nothing was rejected: the setup is what is
		// missing (CONFIG_ERROR), not valid credentials (AUTH_FAILED).
		return domain.Secret{}, domain.NewError(domain.CodeConfigError,
			"account '%s' reads its token from $%s, %s", acct.Name, acct.TokenEnv, state).
			WithDetail("account", string(acct.Name)).
			WithDetail("variable", acct.TokenEnv).
			WithDetail("token_env", acct.TokenEnv).
			WithHint("export %s=… (the OAuth access token) and run the command again", acct.TokenEnv)
	}
	return domain.NewSecret(v), nil
}

// externalSecret reads the secret of an account whose config block holds
// an empty value: from its secret command when it has one, else from the
// keychain. Missing everywhere is CONFIG_ERROR naming the account and the
// fix; an unreachable keychain is SECRET_STORE_UNAVAILABLE.
func (c *core) externalSecret(ctx context.Context, acct domain.Account) (domain.Secret, error) {
	key := ports.SecretKey{Account: acct.Name, Kind: kindOf(acct.Type)}
	field := "secret"
	if acct.Type == domain.TypeOAuthToken {
		field = "token"
	}
	cfg, err := c.deps.Config.Load(ctx)
	if err != nil {
		return domain.Secret{}, err
	}
	store, where := c.deps.Secrets.Keychain, storeKeychain
	if len(cfg.Settings().SecretCommands[acct.Name]) > 0 {
		store, where = c.deps.Secrets.Exec, storeExec
	}
	if store == nil {
		return domain.Secret{}, domain.NewError(domain.CodeConfigError,
			"account '%s' keeps its %s outside config.toml (%s = \"\"), but this mp has no %s secret store", acct.Name, field, field, where).
			WithDetail("account", string(acct.Name)).
			WithHint("build the app with app.Deps.Secrets.%s set (internal/wiring does)", map[string]string{storeKeychain: "Keychain", storeExec: "Exec"}[where])
	}
	v, err := store.Get(ctx, key)
	switch {
	case err == nil:
		c.deps.Log.Debug("read external secret", zap.String("account", string(acct.Name)), zap.String("store", where))
		return domain.NewSecret(string(v)), nil
	case errors.Is(err, ports.ErrNotFound):
		hint := "store it in the keychain: mp account update " + string(acct.Name)
		if acct.Type == domain.TypeOAuthToken {
			hint += " --token-stdin (reads the token from stdin)"
		} else {
			hint += " --secret-stdin (reads the secret from stdin)"
		}
		hint += ", or set [settings.secret_commands] " + string(acct.Name) + ` = ["command", "args"…] in config.toml`
		if where == storeExec {
			hint = "make the command of [settings.secret_commands] " + string(acct.Name) + " print the " + field
		}
		return domain.Secret{}, domain.NewError(domain.CodeConfigError,
			"account '%s' keeps its %s outside config.toml (%s = \"\"), but the %s has none", acct.Name, field, field, map[string]string{storeKeychain: "OS keychain", storeExec: "secret command"}[where]).
			WithDetail("account", string(acct.Name)).
			WithDetail("secret_store", where).
			WithHint("%s", hint).
			WithCause(err)
	}
	c.deps.Log.Debug("reading external secret failed", zap.String("account", string(acct.Name)), zap.String("store", where), zap.String("code", string(domain.CodeOf(err))))
	return domain.Secret{}, err
}

// matching returns de, also matching sentinel (errors.Is), without the
// sentinel's text in the message (de.WithCause would append ": secret
// store is read-only" to what the user reads).
func matching(de *domain.Error, sentinel error) error {
	return &matchingError{de: de, is: sentinel}
}

// matchingError is the error of matching.
type matchingError struct {
	de *domain.Error
	is error
}

// Error implements error: the domain error's text.
func (e *matchingError) Error() string { return e.de.Error() }

// Unwrap returns the domain error and the sentinel.
func (e *matchingError) Unwrap() []error { return []error{e.de, e.is} }

// secretWrite is a keychain write made inside a config transaction, for
// undoSecret to take back when the transaction fails.
type secretWrite struct {
	// key is the item written; zero when nothing was written.
	key ports.SecretKey
	// replaced: the item held prev before the write (the account kept its
	// secret in the keychain already); before is the account as it was.
	replaced bool
	prev     []byte
	before   domain.Account
}

// storeSecret runs inside a config transaction, after cfg's account name
// was added or changed: when its secret (or token) belongs in the keychain
// — the backend of this write (backendFor cfg) is keychain, or it was
// kept there before (wasExternal) —
// it is written to the keychain and the account block gets an empty
// value. It returns what it wrote, so that the caller can undo the write
// (undoSecret) when the transaction fails; a value it replaced is read
// first, to be restored. An account whose secret comes from a command
// cannot take a new one (read-only).
func (c *core) storeSecret(ctx context.Context, cfg *domain.Config, name domain.AccountName, before domain.Account) (secretWrite, error) {
	wasExternal := before.External
	a, ok := cfg.Account(name)
	if !ok || a.External {
		return secretWrite{}, nil
	}
	var v domain.Secret
	switch a.Type {
	case domain.TypeServiceAccount:
		v = a.Secret
	case domain.TypeOAuthToken:
		v = a.Token
	}
	if v.IsZero() {
		return secretWrite{}, nil
	}
	if wasExternal && len(cfg.Settings().SecretCommands[name]) > 0 {
		return secretWrite{}, matching(domain.NewError(domain.CodeConfigError,
			"the secret of account '%s' comes from its command in [settings.secret_commands], which mp cannot change", name).
			WithDetail("account", string(name)).
			WithHint("change the secret where the command reads it, or remove [settings.secret_commands] %s from config.toml first", name), ports.ErrReadOnly)
	}
	if c.backendFor(*cfg) != domain.SecretBackendKeychain && !wasExternal {
		return secretWrite{}, nil
	}
	kc, err := c.keychain()
	if err != nil {
		return secretWrite{}, err
	}
	key := ports.SecretKey{Account: name, Kind: kindOf(a.Type)}
	w := secretWrite{key: key, before: before}
	if wasExternal {
		prev, err := kc.Get(ctx, key)
		switch {
		case err == nil:
			w.replaced, w.prev = true, prev
		case !errors.Is(err, ports.ErrNotFound):
			return secretWrite{}, err
		}
	}
	if err := kc.Set(ctx, key, []byte(v.Reveal())); err != nil { // written to the keychain
		return secretWrite{}, err
	}
	t := true
	if _, err := cfg.UpdateAccount(name, domain.AccountPatch{External: &t}); err != nil {
		return w, err
	}
	c.deps.Log.Debug("secret stored in the keychain", zap.String("account", string(name)), zap.String("kind", string(key.Kind)), zap.Bool("replaced", w.replaced))
	return w, nil
}

// undoSecret takes back a keychain write of a config transaction that
// reported a failure. The config is read again first: a new item stays
// when the account is external there (the transaction was committed after
// all); a replaced value is restored only when the account is still as it
// was before the transaction. When the config cannot be read, nothing is
// touched (an orphaned item is better than a lost secret).
func (c *core) undoSecret(ctx context.Context, w secretWrite) {
	if w.key.Account == "" || c.deps.Secrets.Keychain == nil {
		return
	}
	ctx = context.WithoutCancel(ctx)
	log := c.deps.Log.With(zap.String("account", string(w.key.Account)), zap.String("kind", string(w.key.Kind)))
	cfg, err := c.deps.Config.Load(ctx)
	if err != nil {
		log.Debug("keychain write kept: the config cannot be read to check the failed transaction", zap.String("code", string(domain.CodeOf(err))))
		return
	}
	cur, ok := cfg.Account(w.key.Account)
	kc := c.deps.Secrets.Keychain
	if w.replaced {
		if !ok || !cur.Equal(w.before) {
			log.Debug("keychain write kept: the config shows the transaction's change")
			return
		}
		if err := kc.Set(ctx, w.key, w.prev); err != nil { // the old value, restored
			log.Debug("could not restore the old keychain value", zap.String("code", string(domain.CodeOf(err))))
		}
		return
	}
	if ok && cur.External {
		log.Debug("keychain write kept: the config refers to it (committed after all)")
		return
	}
	if err := kc.Delete(ctx, w.key); err != nil {
		log.Debug("could not undo a keychain write", zap.String("code", string(domain.CodeOf(err))))
	}
}

// keychain returns the keychain store, or an error when the App has none.
func (c *core) keychain() (ports.SecretStore, error) {
	if c.deps.Secrets.Keychain == nil {
		return nil, domain.NewError(domain.CodeSecretStoreUnavailable, "this program has no keychain secret store linked in").
			WithHint("a program using the mp library: pass keychain.Enable() (package github.com/mpdata/mp/keychain) to mp.Open; or keep new secrets in files (MP_SECRET_BACKEND=file)").
			WithCause(ports.ErrUnavailable)
	}
	return c.deps.Secrets.Keychain, nil
}

// forgetSecrets deletes what the keychain holds for a removed account: its
// secret or token when the account kept it there (external, without a
// command), and its OAuth tokens when tokensIn — the account's
// [settings.token_backends] entry before the removal — is the keychain.
// Nothing else is asked of the keychain; a failure is returned.
func (c *core) forgetSecrets(ctx context.Context, a domain.Account, hadCommand bool, tokensIn domain.SecretBackend) error {
	var keys []ports.SecretKey
	switch {
	case a.Type == domain.TypeOAuthBrowser:
		if tokensIn == domain.SecretBackendKeychain {
			keys = append(keys, tokenKey(a.Name))
		}
	case a.External && !hadCommand:
		keys = append(keys, ports.SecretKey{Account: a.Name, Kind: kindOf(a.Type)})
	}
	if len(keys) == 0 {
		return nil
	}
	kc, err := c.keychain()
	if err != nil {
		return err
	}
	for _, k := range keys {
		if err := kc.Delete(ctx, k); err != nil {
			return err
		}
	}
	return nil
}

// tokenStore returns the token store of config accounts: each account's
// tokens are read and written where [settings.token_backends] records
// them (the keychain), else in Deps.Tokens (accounts/<name>/tokens.json).
func (c *core) tokenStore() (ports.TokenStore, error) {
	if c.deps.Tokens == nil {
		return nil, domain.NewError(domain.CodeConfigError, "this mp was built without a token store, so it cannot use oauth_browser accounts").
			WithHint("build the app with app.Deps.Tokens set (internal/wiring does)")
	}
	return &recordedTokens{c: c}, nil
}

// tokensIn returns the token store of backend b: the keychain's token-set
// items, or Deps.Tokens (tokens.json).
func (c *core) tokensIn(b domain.SecretBackend) (ports.TokenStore, error) {
	if b.OrDefault() != domain.SecretBackendKeychain {
		return c.deps.Tokens, nil
	}
	kc, err := c.keychain()
	if err != nil {
		return nil, err
	}
	return &secretTokens{store: kc, lock: c.deps.Tokens, where: "the OS keychain"}, nil
}

// secretTokens is a ports.TokenStore over a SecretStore's token-set kind
// (the JSON of tokens.json) and a refresh lock.
type secretTokens struct {
	store ports.SecretStore
	lock  ports.RefreshLocker
	where string
}

var _ ports.TokenStore = (*secretTokens)(nil)

func tokenKey(name domain.AccountName) ports.SecretKey {
	return ports.SecretKey{Account: name, Kind: ports.SecretTokenSet}
}

// Load implements ports.TokenStore.
func (s *secretTokens) Load(ctx context.Context, name domain.AccountName) (domain.Tokens, bool, error) {
	raw, err := s.store.Get(ctx, tokenKey(name))
	if errors.Is(err, ports.ErrNotFound) {
		return domain.Tokens{}, false, nil
	}
	if err != nil {
		return domain.Tokens{}, false, err
	}
	t, err := domain.DecodeTokensJSON(raw)
	if err != nil {
		return domain.Tokens{}, false, domain.NewError(domain.CodeOAuthTokenError, "the tokens of account '%s' in %s are corrupt", name, s.where).
			WithDetail("account", string(name)).
			WithHint("log in again: mp account login %s", name).
			WithCause(err)
	}
	return t, true, nil
}

// Save implements ports.TokenStore.
func (s *secretTokens) Save(ctx context.Context, name domain.AccountName, t domain.Tokens) error {
	if t.AccessToken.IsZero() {
		return domain.NewError(domain.CodeOAuthTokenError, "refusing to save tokens without an access_token for account '%s'", name).
			WithDetail("account", string(name))
	}
	raw, err := domain.EncodeTokensJSON(t)
	if err != nil {
		return domain.NewError(domain.CodeOAuthTokenError, "cannot encode the tokens of account '%s'", name).WithCause(err)
	}
	return s.store.Set(ctx, tokenKey(name), raw)
}

// Delete implements ports.TokenStore.
func (s *secretTokens) Delete(ctx context.Context, name domain.AccountName) (bool, error) {
	_, err := s.store.Get(ctx, tokenKey(name))
	existed := err == nil
	if err != nil && !errors.Is(err, ports.ErrNotFound) {
		return false, err
	}
	if err := s.store.Delete(ctx, tokenKey(name)); err != nil {
		return false, err
	}
	return existed, nil
}

// LockRefresh implements ports.TokenStore with the file lock.
func (s *secretTokens) LockRefresh(ctx context.Context, name domain.AccountName) (func(), error) {
	return s.lock.LockRefresh(ctx, name)
}

// recordedTokens is the ports.TokenStore of config accounts: every call
// reads the config and goes to the one place [settings.token_backends]
// records for the account (no probing, no fall back: an unreachable
// keychain is SECRET_STORE_UNAVAILABLE, never "not logged in").
type recordedTokens struct{ c *core }

var _ ports.TokenStore = (*recordedTokens)(nil)

// where returns the backend holding the account's tokens and its store.
func (s *recordedTokens) where(ctx context.Context, name domain.AccountName) (domain.SecretBackend, ports.TokenStore, error) {
	cfg, err := s.c.deps.Config.Load(ctx)
	if err != nil {
		return "", nil, err
	}
	if a, ok := cfg.Account(name); ok {
		s.c.noteIgnoredCommand(cfg, a)
	}
	b := cfg.Settings().TokenBackends.Of(name)
	st, err := s.c.tokensIn(b)
	return b, st, err
}

// Load implements ports.TokenStore.
func (s *recordedTokens) Load(ctx context.Context, name domain.AccountName) (domain.Tokens, bool, error) {
	_, st, err := s.where(ctx, name)
	if err != nil {
		return domain.Tokens{}, false, err
	}
	return st.Load(ctx, name)
}

// Save implements ports.TokenStore: a refresh writes the tokens back where
// they are recorded (the caller holds the refresh lock, which every move
// of the tokens takes too).
func (s *recordedTokens) Save(ctx context.Context, name domain.AccountName, t domain.Tokens) error {
	_, st, err := s.where(ctx, name)
	if err != nil {
		return err
	}
	return st.Save(ctx, name, t)
}

// Delete implements ports.TokenStore (a logout): the tokens where they are
// recorded and any stray tokens.json (which would otherwise become the
// account's tokens), then the record, in a config transaction.
func (s *recordedTokens) Delete(ctx context.Context, name domain.AccountName) (bool, error) {
	b, st, err := s.where(ctx, name)
	if err != nil {
		return false, err
	}
	existed, err := st.Delete(ctx, name)
	if err != nil {
		return false, err
	}
	if b == domain.SecretBackendFile {
		return existed, nil
	}
	stray, err := s.c.deps.Tokens.Delete(ctx, name)
	if err != nil {
		return existed, err
	}
	err = s.c.deps.Config.Update(ctx, func(cfg *domain.Config) error { return cfg.SetTokenBackend(name, domain.SecretBackendFile) })
	return existed || stray, err
}

// LockRefresh implements ports.TokenStore: accounts/<name>/.refresh.lock.
func (s *recordedTokens) LockRefresh(ctx context.Context, name domain.AccountName) (func(), error) {
	return s.c.deps.Tokens.LockRefresh(ctx, name)
}

// tokenPlacement is a login's new tokens, written (under the account's
// refresh lock, which it holds until finish or undo) to the backend new
// secrets go to. The caller records the placement in its config
// transaction (record), then calls finish when the transaction succeeded —
// the old copy elsewhere is deleted — or undo when it failed. A nil
// placement does nothing.
type tokenPlacement struct {
	c        *core
	name     domain.AccountName
	from, to domain.SecretBackend
	unlock   func()
}

// placeTokens takes the refresh lock of account name and writes a login's
// tokens t to the backend of the write: the explicit choice, else
// [settings] secret_backend of the config it loads under the lock (see
// backendFor).
func (c *core) placeTokens(ctx context.Context, name domain.AccountName, t domain.Tokens) (*tokenPlacement, error) {
	if c.deps.Tokens == nil {
		_, err := c.tokenStore()
		return nil, err
	}
	unlock, err := c.lockRefresh(ctx, c.deps.Tokens, name)
	if err != nil {
		return nil, err
	}
	cfg, err := c.deps.Config.Load(ctx)
	if err != nil {
		unlock()
		return nil, err
	}
	p := &tokenPlacement{c: c, name: name, from: cfg.Settings().TokenBackends.Of(name), to: c.backendFor(cfg), unlock: unlock}
	st, err := c.tokensIn(p.to)
	if err == nil {
		err = st.Save(ctx, name, t)
	}
	if err != nil {
		unlock()
		c.deps.Log.Debug("saving tokens failed", zap.String("account", string(name)), zap.String("code", string(domain.CodeOf(err))))
		return nil, err
	}
	return p, nil
}

// record notes the placement in the config of the caller's transaction.
func (p *tokenPlacement) record(cfg *domain.Config) error {
	if p == nil {
		return nil
	}
	return cfg.SetTokenBackend(p.name, p.to)
}

// finish deletes the old copy of the tokens (when it was in the other
// backend) and releases the lock. A copy it cannot delete is logged: the
// tokens in effect are the new ones.
func (p *tokenPlacement) finish(ctx context.Context) {
	if p == nil {
		return
	}
	defer p.unlock()
	if p.from == p.to {
		return
	}
	st, err := p.c.tokensIn(p.from)
	if err == nil {
		_, err = st.Delete(ctx, p.name)
	}
	if err != nil {
		p.c.deps.Log.Debug("could not remove the old copy of the tokens", zap.String("account", string(p.name)),
			zap.String("backend", string(p.from)), zap.String("code", string(domain.CodeOf(err))))
	}
}

// undo takes back the new copy after the transaction failed — unless the
// config, read again, records it (committed after all), or cannot be
// read — and releases the lock. Tokens written over the old ones in the
// same backend stay: they are the account's valid tokens either way.
func (p *tokenPlacement) undo(ctx context.Context) {
	if p == nil {
		return
	}
	defer p.unlock()
	if p.from == p.to {
		return
	}
	ctx = context.WithoutCancel(ctx)
	cfg, err := p.c.deps.Config.Load(ctx)
	if err != nil || cfg.Settings().TokenBackends.Of(p.name) == p.to {
		p.c.deps.Log.Debug("new tokens kept after a failed transaction", zap.String("account", string(p.name)), zap.Bool("config_unreadable", err != nil))
		return
	}
	st, err := p.c.tokensIn(p.to)
	if err == nil {
		_, err = st.Delete(ctx, p.name)
	}
	if err != nil {
		p.c.deps.Log.Debug("could not undo the new copy of the tokens", zap.String("account", string(p.name)), zap.String("code", string(domain.CodeOf(err))))
	}
}

// saveTokens stores a login's new tokens (`mp account login`): in the
// selected backend, recorded in the config, the old copy elsewhere
// removed — all under the account's refresh lock, so that a refresh
// running in another process cannot overwrite them.
func (c *core) saveTokens(ctx context.Context, name domain.AccountName, t domain.Tokens) error {
	p, err := c.placeTokens(ctx, name, t)
	if err != nil {
		return err
	}
	if p.from == p.to {
		p.finish(ctx)
		return nil
	}
	if err := c.deps.Config.Update(ctx, p.record); err != nil {
		p.undo(ctx)
		return err
	}
	p.finish(ctx)
	return nil
}
