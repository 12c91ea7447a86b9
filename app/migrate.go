package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"go.uber.org/zap"

	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
)

// MigrateResult is the outcome of Accounts.MigrateSecrets.
type MigrateResult struct {
	// To is the backend the secrets moved to.
	To string `json:"to"`
	// Accounts lists what happened to each account, sorted by name.
	Accounts []MigratedAccount `json:"accounts"`
	// Refused lists the accounts whose secret the target refused as too
	// large (ports.ErrTooLarge); they keep it where it was, with a note,
	// and the migration went on with the next account.
	Refused []string `json:"refused"`
	// BackendSet reports whether [settings] secret_backend now names To
	// (a migration of every account sets it, unless an account was
	// refused).
	BackendSet bool `json:"backend_set"`
	// NewSecrets is the backend new secrets go to after the migration: the
	// explicit choice (MP_SECRET_BACKEND, mp.WithSecretBackend) when there
	// is one, else [settings] secret_backend, else file.
	NewSecrets string `json:"new_secrets"`
	// Overridden reports whether NewSecrets is the explicit choice, which
	// beats [settings] secret_backend (so setting it changed nothing for
	// this environment when the two differ).
	Overridden bool `json:"overridden"`
	// Bridge is the bridge file in effect, if any: its account's secrets
	// stay in that file, which a migration never touches. Nil without one.
	Bridge *MigrateBridge `json:"bridge,omitempty"`
}

// MigrateBridge names the bridge file a migration left alone.
type MigrateBridge struct {
	// Path is the bridge file.
	Path string `json:"path"`
	// Account is the name of its account.
	Account string `json:"account"`
}

// MigratedAccount is what MigrateSecrets did with one account.
type MigratedAccount struct {
	// Account is the account name.
	Account string `json:"account"`
	// Type is the account type.
	Type string `json:"type"`
	// From is where its secrets were (see AccountSummary.SecretStore;
	// "none" for an oauth_browser account that is not logged in).
	From string `json:"from"`
	// Moved reports whether they moved.
	Moved bool `json:"moved"`
	// Note says why they did not move (already there, token_env, a
	// secret command, not logged in, too large for the target).
	Note string `json:"note,omitempty"`
}

// MigrateSecrets moves the secrets and OAuth tokens of one config account
// (or, for an empty name, of every account) to the backend to, one
// account at a time and transactionally: copy, read the copy back and
// compare, switch the config over (inline value ↔ empty value, or the
// account's [settings.token_backends] entry), then delete the old copy.
// An account whose secret the target refuses as too large keeps it where
// it was and is listed in Refused; any other failure stops the migration
// with the error (the account that failed keeps its old copy; the
// accounts before it stay moved and are in the result). Accounts whose
// secret comes from token_env or a secret command are left alone.
// Migrating every account also sets [settings] secret_backend = to, so
// that new secrets go there too — unless an account was refused; the
// result says where new secrets go (NewSecrets: an explicit choice such as
// MP_SECRET_BACKEND beats the setting). A migration to the keychain first
// checks that the keychain answers (SECRET_STORE_UNAVAILABLE otherwise,
// before anything moves or the setting changes). The secrets of the bridge
// file in effect stay in it; the result names it (Bridge).
func (s *Accounts) MigrateSecrets(ctx context.Context, to domain.SecretBackend, name domain.AccountName) (MigrateResult, error) {
	to, err := domain.ParseSecretBackend(string(to))
	if err != nil {
		return MigrateResult{}, err
	}
	res := MigrateResult{To: string(to), Accounts: []MigratedAccount{}, Refused: []string{}}
	if to == domain.SecretBackendKeychain {
		if err := s.c.probeKeychain(ctx); err != nil {
			return res, err
		}
	}
	cfg, err := s.c.deps.Config.Load(ctx)
	if err != nil {
		return res, err
	}
	res.Bridge = s.bridgeLeftAlone(ctx)
	res.NewSecrets, res.Overridden = string(s.c.backendFor(cfg)), s.c.deps.Secrets.Backend != ""
	accounts := cfg.Accounts()
	if name != "" {
		a, err := cfg.LookupAccount(name)
		if err != nil {
			return res, err
		}
		accounts = []domain.Account{a}
	}
	log := s.log.With(zap.String("to", string(to)))
	for _, a := range accounts {
		m, err := s.migrateOne(ctx, cfg, a, to)
		if err != nil && errors.Is(err, ports.ErrTooLarge) && !m.Moved {
			m.Note = fmt.Sprintf("too large for the %s backend; left where it was", to)
			res.Refused = append(res.Refused, m.Account)
			log.Debug("migration refused", zap.String("account", m.Account), zap.String("code", string(domain.CodeOf(err))))
			res.Accounts = append(res.Accounts, m)
			continue
		}
		if err != nil {
			log.Debug("migration stopped", zap.String("account", string(a.Name)), zap.String("code", string(domain.CodeOf(err))), zap.Bool("moved", m.Moved))
			if m.Moved {
				res.Accounts = append(res.Accounts, m)
			}
			return res, err
		}
		log.Debug("migrated", zap.String("account", m.Account), zap.String("from", m.From), zap.Bool("moved", m.Moved))
		res.Accounts = append(res.Accounts, m)
	}
	if name == "" && len(res.Refused) == 0 {
		err := s.c.deps.Config.Update(ctx, func(cfg *domain.Config) error { return cfg.SetSecretBackend(to) })
		if err != nil {
			return res, err
		}
		res.BackendSet = true
		if !res.Overridden {
			res.NewSecrets = string(to)
		}
	}
	return res, nil
}

// probeKeychain checks that the keychain answers, with one read of an
// item that is normally missing (under the keychain's own timeout): a
// value or "not found" is an answer; anything else is
// SECRET_STORE_UNAVAILABLE saying that nothing was moved, with the
// keychain's hint.
func (c *core) probeKeychain(ctx context.Context) error {
	kc, err := c.keychain()
	if err != nil {
		return err
	}
	// No account of that name is expected; one would only make the probe
	// find a value, which proves the keychain reachable all the same.
	probe := ports.SecretKey{Account: "mp-reachability-probe", Kind: ports.SecretServiceAccount}
	_, err = kc.Get(ctx, probe)
	if err == nil || errors.Is(err, ports.ErrNotFound) {
		return nil
	}
	if ctx.Err() != nil {
		return err
	}
	c.deps.Log.Debug("keychain unreachable", zap.String("code", string(domain.CodeOf(err))))
	hint := "make the OS keychain reachable, then run the migration again"
	var de *domain.Error
	if errors.As(err, &de) && de.Hint != "" {
		hint = de.Hint
	}
	return domain.NewError(domain.CodeSecretStoreUnavailable, "the OS keychain does not answer, so nothing was moved and [settings] secret_backend is unchanged").
		WithDetail("backend", string(domain.SecretBackendKeychain)).
		WithHint("%s", hint).
		WithCause(err)
}

// bridgeLeftAlone returns the bridge in effect (whose secrets a migration
// leaves in the bridge file), or nil. A bridge that cannot be read is
// logged and left out: the migration does not depend on it.
func (s *Accounts) bridgeLeftAlone(ctx context.Context) *MigrateBridge {
	br, err := s.c.discoverBridge(ctx)
	if err != nil || br == nil {
		return nil
	}
	return &MigrateBridge{Path: br.Path, Account: string(br.Account.Name)}
}

// migrateOne moves one account's secrets to the backend to.
func (s *Accounts) migrateOne(ctx context.Context, cfg domain.Config, a domain.Account, to domain.SecretBackend) (MigratedAccount, error) {
	m := MigratedAccount{Account: string(a.Name), Type: string(a.Type), From: secretStoreOf(cfg, a)}
	if a.Type == domain.TypeOAuthBrowser {
		return s.migrateTokens(ctx, a, to, m)
	}
	switch m.From {
	case storeEnv:
		m.Note = "reads its token from $" + a.TokenEnv
		return m, nil
	case storeExec:
		m.Note = "its secret comes from a command of [settings.secret_commands]"
		return m, nil
	}
	if (to == domain.SecretBackendKeychain) == a.External {
		m.Note = "already there"
		return m, nil
	}
	var (
		moved bool
		err   error
	)
	if to == domain.SecretBackendKeychain {
		moved, err = s.toKeychain(ctx, a)
	} else {
		moved, err = s.toConfig(ctx, a)
	}
	m.Moved = moved
	if err == nil && !moved {
		m.Note = "already there"
	}
	return m, err
}

// errChanged is the error for an account that changed during a migration.
func errChanged(name domain.AccountName) *domain.Error {
	return domain.NewError(domain.CodeConfigError, "account '%s' changed while its secret was being moved; nothing was moved", name).
		WithDetail("account", string(name)).
		WithHint("run the migration again")
}

// errAlreadyMoved stops a migration transaction that finds the account
// already moved (by another mp): nothing to do.
var errAlreadyMoved = errors.New("already moved")

// toKeychain moves an inline secret or token into the keychain. The copy,
// its check and the switch happen inside one config transaction, under
// the config lock, so that two migrations (or a migration and an update)
// cannot interleave; the copy is undone when the transaction fails and
// the config does not refer to it. moved is false when another mp moved it
// first.
func (s *Accounts) toKeychain(ctx context.Context, a domain.Account) (moved bool, err error) {
	kc, err := s.c.keychain()
	if err != nil {
		return false, err
	}
	key := ports.SecretKey{Account: a.Name, Kind: kindOf(a.Type)}
	var written secretWrite
	t := true
	err = s.c.deps.Config.Update(ctx, func(cfg *domain.Config) error {
		cur, ok := cfg.Account(a.Name)
		switch {
		case !ok || cur.Type != a.Type || cur.TokenEnv != "":
			return errChanged(a.Name)
		case cur.External:
			return errAlreadyMoved
		}
		v := cur.Secret
		if cur.Type == domain.TypeOAuthToken {
			v = cur.Token
		}
		want := []byte(v.Reveal()) // copied to the keychain
		if err := kc.Set(ctx, key, want); err != nil {
			return err
		}
		written = secretWrite{key: key}
		got, err := kc.Get(ctx, key)
		if err != nil {
			return err
		}
		if !bytes.Equal(got, want) {
			return domain.NewError(domain.CodeSecretStoreUnavailable, "the keychain returned something else than the secret of account '%s' just written to it; nothing was moved", a.Name).
				WithDetail("account", string(a.Name)).
				WithHint("check the keychain, then run the migration again")
		}
		_, err = cfg.UpdateAccount(a.Name, domain.AccountPatch{External: &t})
		return err
	})
	switch {
	case errors.Is(err, errAlreadyMoved):
		return false, nil
	case err != nil:
		s.c.undoSecret(ctx, written)
		return false, err
	}
	return true, nil
}

// toConfig moves a keychain secret or token back inline into the config
// (read from the keychain inside the config transaction, so that a
// concurrent update cannot slip a newer value in between), checks the
// config, then deletes the keychain item. When that deletion fails the
// secret is moved (inline) and the error says that the keychain still
// holds a copy. moved is false when another mp moved it first.
func (s *Accounts) toConfig(ctx context.Context, a domain.Account) (moved bool, err error) {
	kc, err := s.c.keychain()
	if err != nil {
		return false, err
	}
	key := ports.SecretKey{Account: a.Name, Kind: kindOf(a.Type)}
	var v domain.Secret
	err = s.c.deps.Config.Update(ctx, func(cfg *domain.Config) error {
		cur, ok := cfg.Account(a.Name)
		switch {
		case !ok || cur.Type != a.Type:
			return errChanged(a.Name)
		case !cur.External:
			return errAlreadyMoved
		}
		raw, err := kc.Get(ctx, key)
		if err != nil {
			return err
		}
		v = domain.NewSecret(string(raw))
		if v.IsZero() {
			return domain.NewError(domain.CodeConfigError, "the keychain holds an empty secret for account '%s'; nothing was moved", a.Name).
				WithDetail("account", string(a.Name)).
				WithHint("store the secret again: mp account update %s", a.Name)
		}
		p := domain.AccountPatch{Secret: &v}
		if a.Type == domain.TypeOAuthToken {
			p = domain.AccountPatch{Token: &v}
		}
		_, err = cfg.UpdateAccount(a.Name, p)
		return err
	})
	switch {
	case errors.Is(err, errAlreadyMoved):
		return false, nil
	case err != nil:
		return false, err
	}
	// Verify the copy before deleting the original.
	cfg, err := s.c.deps.Config.Load(ctx)
	if err != nil {
		return false, err
	}
	cur, ok := cfg.Account(a.Name)
	if !ok || cur.External || (!cur.Secret.Equal(v) && !cur.Token.Equal(v)) {
		return false, domain.NewError(domain.CodeConfigError, "the config does not hold the secret of account '%s' just written to it; the keychain keeps its copy", a.Name).
			WithDetail("account", string(a.Name)).
			WithHint("check config.toml, then run the migration again")
	}
	if err := kc.Delete(ctx, key); err != nil {
		return true, leftBehind(a.Name, "the OS keychain (item "+key.String()+" of service \"mp\")", err)
	}
	return true, nil
}

// leftBehind is the error for a move that succeeded but could not delete
// the old copy.
func leftBehind(name domain.AccountName, where string, err error) error {
	code := domain.CodeOf(err)
	if code == "" {
		code = domain.CodeConfigError
	}
	return domain.NewError(code, "the secrets of account '%s' moved, but the old copy in %s could not be deleted", name, where).
		WithDetail("account", string(name)).
		WithHint("delete it by hand, or run the migration again once the store is reachable").
		WithCause(err)
}

// migrateTokens moves an oauth_browser account's tokens between
// accounts/<name>/tokens.json and the keychain, under its refresh lock
// (which logins, refreshes and logouts take too): copy, read back and
// compare, record the new place in [settings.token_backends] (a config
// transaction), then delete the old copy.
func (s *Accounts) migrateTokens(ctx context.Context, a domain.Account, to domain.SecretBackend, m MigratedAccount) (MigratedAccount, error) {
	files := s.c.deps.Secrets.File
	if files == nil || s.c.deps.Tokens == nil {
		return m, domain.NewError(domain.CodeConfigError, "this mp was built without a file secret store, so it cannot move OAuth tokens").
			WithHint("build the app with app.Deps.Secrets.File and Deps.Tokens set (internal/wiring does)")
	}
	unlock, err := s.c.lockRefresh(ctx, s.c.deps.Tokens, a.Name)
	if err != nil {
		return m, err
	}
	defer unlock()
	cfg, err := s.c.deps.Config.Load(ctx)
	if err != nil {
		return m, err
	}
	from := cfg.Settings().TokenBackends.Of(a.Name)
	key := tokenKey(a.Name)
	if from == to {
		m.From, m.Note = string(to), "already there"
		if to == domain.SecretBackendFile {
			if _, err := files.Get(ctx, key); errors.Is(err, ports.ErrNotFound) {
				m.From, m.Note = "none", "not logged in"
			}
		}
		return m, nil
	}
	kc, err := s.c.keychain()
	if err != nil {
		return m, err
	}
	src, dst := files, kc
	if from == domain.SecretBackendKeychain {
		src, dst = kc, files
	}
	raw, err := src.Get(ctx, key)
	if errors.Is(err, ports.ErrNotFound) {
		m.From, m.Note = "none", "not logged in"
		return m, nil
	}
	if err != nil {
		return m, err
	}
	if _, err := domain.DecodeTokensJSON(raw); err != nil {
		return m, domain.NewError(domain.CodeOAuthTokenError, "the tokens of account '%s' in the %s backend are corrupt; nothing was moved", a.Name, from).
			WithDetail("account", string(a.Name)).
			WithHint("log in again (mp account login %s), then run the migration", a.Name).
			WithCause(err)
	}
	undo := func() {
		if derr := dst.Delete(context.WithoutCancel(ctx), key); derr != nil {
			s.log.Debug("could not undo the copy", zap.String("account", string(a.Name)), zap.String("code", string(domain.CodeOf(derr))))
		}
	}
	if err := dst.Set(ctx, key, raw); err != nil {
		return m, err
	}
	got, err := dst.Get(ctx, key)
	if err != nil || !bytes.Equal(got, raw) {
		undo()
		if err == nil {
			err = domain.NewError(domain.CodeSecretStoreUnavailable, "the %s backend returned something else than the tokens of account '%s' just written to it; nothing was moved", to, a.Name).
				WithDetail("account", string(a.Name)).
				WithHint("run the migration again")
		}
		return m, err
	}
	err = s.c.deps.Config.Update(ctx, func(cfg *domain.Config) error {
		cur, ok := cfg.Account(a.Name)
		if !ok || cur.Type != domain.TypeOAuthBrowser || cfg.Settings().TokenBackends.Of(a.Name) != from {
			return errChanged(a.Name)
		}
		return cfg.SetTokenBackend(a.Name, to)
	})
	if err != nil {
		// Undo the copy unless the config records it after all (a commit
		// that reported a failure); keep it when the config cannot be read.
		if cfg, lerr := s.c.deps.Config.Load(context.WithoutCancel(ctx)); lerr == nil && cfg.Settings().TokenBackends.Of(a.Name) != to {
			undo()
		}
		return m, err
	}
	m.Moved = true
	if err := src.Delete(ctx, key); err != nil {
		where := "accounts/" + string(a.Name) + "/tokens.json"
		if from == domain.SecretBackendKeychain {
			where = "the OS keychain (item " + key.String() + " of service \"mp\")"
		}
		return m, leftBehind(a.Name, where, err)
	}
	return m, nil
}
