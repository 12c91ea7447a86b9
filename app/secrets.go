package app

import (
	"bytes"
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
//   - oauth_browser tokens: accounts/<name>/tokens.json (file backend) or
//     the keychain. They are read from the selected backend first, then
//     from the other one, so accounts moved one at a time keep working;
//     a refresh writes them back where they were found.
//   - the refresh lock is accounts/<name>/.refresh.lock for every backend.

// SecretStores are the secret backends an App reaches.
type SecretStores struct {
	// Backend is where new secrets go (resolved before injection:
	// MP_SECRET_BACKEND, else [settings] secret_backend, else file).
	Backend domain.SecretBackend
	// File holds accounts/<name>/ files; its token-set kind is tokens.json.
	// Nil: only Deps.Tokens reaches tokens.json.
	File ports.SecretStore
	// Keychain is the OS keychain; nil when this App has none.
	Keychain ports.SecretStore
	// Exec runs the commands of [settings.secret_commands]; nil when none.
	Exec ports.SecretStore
}

// backend returns the backend new secrets go to.
func (c *core) backend() domain.SecretBackend { return c.deps.Secrets.Backend.OrDefault() }

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
	st := cfg.Settings()
	switch a.Type {
	case domain.TypeServiceAccount, domain.TypeOAuthToken:
		switch {
		case a.TokenEnv != "":
			return storeEnv
		case !a.External:
			return storeConfig
		case len(st.SecretCommands[a.Name]) > 0:
			return storeExec
		}
		return storeKeychain
	case domain.TypeOAuthBrowser:
		if st.SecretBackend == domain.SecretBackendKeychain {
			return storeKeychain
		}
		return storeFile
	}
	return ""
}

// secretLocation refines secretStoreOf for an oauth_browser account with
// the backend in effect and whether tokens.json exists. It never reaches
// the keychain.
func (c *core) secretLocation(ctx context.Context, cfg domain.Config, a domain.Account) string {
	if a.Type != domain.TypeOAuthBrowser {
		return secretStoreOf(cfg, a)
	}
	if c.deps.Tokens != nil && c.deps.Secrets.Keychain != nil {
		if _, ok, err := c.deps.Tokens.Load(ctx, a.Name); ok || err != nil {
			return storeFile
		}
	}
	if c.backend() == domain.SecretBackendKeychain && c.deps.Secrets.Keychain != nil {
		return storeKeychain
	}
	return storeFile
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
// the external one, or the value of its token_env variable read now.
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
		return domain.Secret{}, domain.NewError(domain.CodeAuthFailed,
			"account '%s' reads its token from $%s, %s", acct.Name, acct.TokenEnv, state).
			WithDetail("account", string(acct.Name)).
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

// storeSecret runs inside a config transaction, after cfg's account name
// was added or changed: when its secret (or token) belongs in the keychain
// — the backend is keychain, or it was kept there before (wasExternal) —
// it is written to the keychain and the account block gets an empty
// value. It returns the key written (zero when none), so that the caller
// can undo the write when the transaction fails. An account whose secret
// comes from a command cannot take a new one (read-only).
func (c *core) storeSecret(ctx context.Context, cfg *domain.Config, name domain.AccountName, wasExternal bool) (ports.SecretKey, error) {
	a, ok := cfg.Account(name)
	if !ok || a.External {
		return ports.SecretKey{}, nil
	}
	var v domain.Secret
	switch a.Type {
	case domain.TypeServiceAccount:
		v = a.Secret
	case domain.TypeOAuthToken:
		v = a.Token
	}
	if v.IsZero() {
		return ports.SecretKey{}, nil
	}
	if wasExternal && len(cfg.Settings().SecretCommands[name]) > 0 {
		return ports.SecretKey{}, domain.NewError(domain.CodeConfigError,
			"the secret of account '%s' comes from its command in [settings.secret_commands], which mp cannot change", name).
			WithDetail("account", string(name)).
			WithHint("change the secret where the command reads it, or remove [settings.secret_commands] %s from config.toml first", name).
			WithCause(ports.ErrReadOnly)
	}
	if c.backend() != domain.SecretBackendKeychain && !wasExternal {
		return ports.SecretKey{}, nil
	}
	kc, err := c.keychain()
	if err != nil {
		return ports.SecretKey{}, err
	}
	key := ports.SecretKey{Account: name, Kind: kindOf(a.Type)}
	if err := kc.Set(ctx, key, []byte(v.Reveal())); err != nil { // written to the keychain
		return ports.SecretKey{}, err
	}
	t := true
	if _, err := cfg.UpdateAccount(name, domain.AccountPatch{External: &t}); err != nil {
		return key, err
	}
	c.deps.Log.Debug("secret stored in the keychain", zap.String("account", string(name)), zap.String("kind", string(key.Kind)))
	if wasExternal {
		// The keychain held the old value, which the failed transaction
		// would still point at: nothing to undo.
		return ports.SecretKey{}, nil
	}
	return key, nil
}

// undoSecret deletes a keychain entry storeSecret wrote for a transaction
// that then failed (best effort).
func (c *core) undoSecret(ctx context.Context, key ports.SecretKey) {
	if key.Account == "" || c.deps.Secrets.Keychain == nil {
		return
	}
	if err := c.deps.Secrets.Keychain.Delete(ctx, key); err != nil {
		c.deps.Log.Debug("could not undo a keychain write", zap.String("account", string(key.Account)), zap.String("code", string(domain.CodeOf(err))))
	}
}

// keychain returns the keychain store, or an error when the App has none.
func (c *core) keychain() (ports.SecretStore, error) {
	if c.deps.Secrets.Keychain == nil {
		return nil, domain.NewError(domain.CodeSecretStoreUnavailable, "this mp was built without a keychain secret store").
			WithHint("use the file backend (MP_SECRET_BACKEND=file), or build the app with app.Deps.Secrets.Keychain set (internal/wiring does)").
			WithCause(ports.ErrUnavailable)
	}
	return c.deps.Secrets.Keychain, nil
}

// forgetSecrets deletes what the keychain holds for a removed account:
// its secret or token when the account kept it there, and its OAuth
// tokens. When the keychain must hold something (the account was
// external, or the backend is keychain) a failure is returned; otherwise
// an unreachable keychain is ignored.
func (c *core) forgetSecrets(ctx context.Context, a domain.Account, hadCommand bool) error {
	kc := c.deps.Secrets.Keychain
	if kc == nil {
		return nil
	}
	var keys []ports.SecretKey
	switch {
	case a.Type == domain.TypeOAuthBrowser:
		keys = append(keys, ports.SecretKey{Account: a.Name, Kind: ports.SecretTokenSet})
	case a.External && !hadCommand:
		keys = append(keys, ports.SecretKey{Account: a.Name, Kind: kindOf(a.Type)})
	}
	must := (a.External && !hadCommand) || c.backend() == domain.SecretBackendKeychain
	for _, k := range keys {
		if err := kc.Delete(ctx, k); err != nil {
			if must {
				return err
			}
			c.deps.Log.Debug("keychain cleanup skipped", zap.String("account", string(a.Name)), zap.String("code", string(domain.CodeOf(err))))
		}
	}
	return nil
}

// tokenStore returns the token store of config accounts: without a
// keychain, Deps.Tokens (accounts/<name>/tokens.json) as is; with one, a
// store that reads the selected backend first and the other one second.
func (c *core) tokenStore() (ports.TokenStore, error) {
	if c.deps.Tokens == nil {
		return nil, domain.NewError(domain.CodeConfigError, "this mp was built without a token store, so it cannot use oauth_browser accounts").
			WithHint("build the app with app.Deps.Tokens set (internal/wiring does)")
	}
	if c.deps.Secrets.Keychain == nil {
		return c.deps.Tokens, nil
	}
	kc := &secretTokens{store: c.deps.Secrets.Keychain, lock: c.deps.Tokens, where: "the OS keychain"}
	if c.backend() == domain.SecretBackendKeychain {
		return &layeredTokens{primary: kc, fallback: c.deps.Tokens, log: c.deps.Log}, nil
	}
	return &layeredTokens{primary: c.deps.Tokens, fallback: kc, log: c.deps.Log}, nil
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

// layeredTokens reads the primary store, then the fallback; it writes
// tokens back where it found them (new ones go to the primary, and any
// copy in the fallback is then removed). An unreachable fallback counts as
// empty: it is never a reason to fail, nor to write plaintext.
type layeredTokens struct {
	primary, fallback ports.TokenStore
	log               *zap.Logger
}

var _ ports.TokenStore = (*layeredTokens)(nil)

// fromFallback loads the fallback, treating its failures as "none".
func (s *layeredTokens) fromFallback(ctx context.Context, name domain.AccountName) (domain.Tokens, bool, error) {
	t, ok, err := s.fallback.Load(ctx, name)
	if err != nil && errors.Is(err, ports.ErrUnavailable) {
		s.log.Debug("fallback token store unavailable", zap.String("account", string(name)))
		return domain.Tokens{}, false, nil
	}
	return t, ok, err
}

// Load implements ports.TokenStore.
func (s *layeredTokens) Load(ctx context.Context, name domain.AccountName) (domain.Tokens, bool, error) {
	t, ok, err := s.primary.Load(ctx, name)
	if err != nil || ok {
		return t, ok, err
	}
	return s.fromFallback(ctx, name)
}

// Save implements ports.TokenStore: into the store that holds the account's
// tokens now (a refresh), else into the primary.
func (s *layeredTokens) Save(ctx context.Context, name domain.AccountName, t domain.Tokens) error {
	_, inPrimary, err := s.primary.Load(ctx, name)
	if err != nil && domain.CodeOf(err) != domain.CodeOAuthTokenError {
		return err
	}
	if !inPrimary {
		if _, inFallback, ferr := s.fromFallback(ctx, name); ferr == nil && inFallback {
			return s.fallback.Save(ctx, name, t)
		}
	}
	return s.primary.Save(ctx, name, t)
}

// Place stores new tokens (a login) in the primary and removes any copy
// from the fallback.
func (s *layeredTokens) Place(ctx context.Context, name domain.AccountName, t domain.Tokens) error {
	if err := s.primary.Save(ctx, name, t); err != nil {
		return err
	}
	if _, err := s.fallback.Delete(ctx, name); err != nil {
		s.log.Debug("could not remove the old copy of the tokens", zap.String("account", string(name)), zap.String("code", string(domain.CodeOf(err))))
	}
	return nil
}

// Delete implements ports.TokenStore: from both stores.
func (s *layeredTokens) Delete(ctx context.Context, name domain.AccountName) (bool, error) {
	a, err := s.primary.Delete(ctx, name)
	if err != nil {
		return false, err
	}
	b, err := s.fallback.Delete(ctx, name)
	if err != nil && !errors.Is(err, ports.ErrUnavailable) {
		return a, err
	}
	return a || b, nil
}

// LockRefresh implements ports.TokenStore.
func (s *layeredTokens) LockRefresh(ctx context.Context, name domain.AccountName) (func(), error) {
	return s.primary.LockRefresh(ctx, name)
}

// placer is a token store that can put a login's tokens where new secrets
// go.
type placer interface {
	Place(ctx context.Context, name domain.AccountName, t domain.Tokens) error
}

// placeTokens stores a login's new tokens: in the selected backend, with
// any old copy elsewhere removed.
func placeTokens(ctx context.Context, store ports.TokenStore, name domain.AccountName, t domain.Tokens) error {
	if p, ok := store.(placer); ok {
		return p.Place(ctx, name, t)
	}
	return store.Save(ctx, name, t)
}

// sameBytes reports whether two secret values are equal.
func sameBytes(a, b []byte) bool { return bytes.Equal(a, b) }
