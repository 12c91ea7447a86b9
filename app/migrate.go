package app

import (
	"context"
	"errors"

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
	// BackendSet reports whether [settings] secret_backend now names To
	// (a migration of every account sets it).
	BackendSet bool `json:"backend_set"`
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
	// secret command, not logged in).
	Note string `json:"note,omitempty"`
}

// MigrateSecrets moves the secrets and OAuth tokens of one config account
// (or, for an empty name, of every account) to the backend to, one
// account at a time and transactionally: copy, read the copy back and
// compare, switch the config over (or for tokens, the file), then delete
// the old copy. A failure stops the migration with the error; the account
// that failed keeps its old copy, and the accounts before it stay moved
// (the result lists them). Accounts whose secret comes from token_env or a
// secret command are left alone. Migrating every account also sets
// [settings] secret_backend = to, so that new secrets go there too.
func (s *Accounts) MigrateSecrets(ctx context.Context, to domain.SecretBackend, name domain.AccountName) (MigrateResult, error) {
	to, err := domain.ParseSecretBackend(string(to))
	if err != nil {
		return MigrateResult{}, err
	}
	res := MigrateResult{To: string(to), Accounts: []MigratedAccount{}}
	if to == domain.SecretBackendKeychain {
		if _, err := s.c.keychain(); err != nil {
			return res, err
		}
	}
	cfg, err := s.c.deps.Config.Load(ctx)
	if err != nil {
		return res, err
	}
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
		if err != nil {
			log.Debug("migration stopped", zap.String("account", string(a.Name)), zap.String("code", string(domain.CodeOf(err))))
			return res, err
		}
		log.Debug("migrated", zap.String("account", m.Account), zap.String("from", m.From), zap.Bool("moved", m.Moved))
		res.Accounts = append(res.Accounts, m)
	}
	if name == "" {
		err := s.c.deps.Config.Update(ctx, func(cfg *domain.Config) error { return cfg.SetSecretBackend(to) })
		if err != nil {
			return res, err
		}
		res.BackendSet = true
	}
	return res, nil
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
	var err error
	if to == domain.SecretBackendKeychain {
		err = s.toKeychain(ctx, a)
	} else {
		err = s.toConfig(ctx, a)
	}
	if err != nil {
		return m, err
	}
	m.Moved = true
	return m, nil
}

// errChanged is the error for an account that changed during a migration.
func errChanged(name domain.AccountName) *domain.Error {
	return domain.NewError(domain.CodeConfigError, "account '%s' changed while its secret was being moved; nothing was moved", name).
		WithDetail("account", string(name)).
		WithHint("run the migration again")
}

// toKeychain moves an inline secret or token into the keychain.
func (s *Accounts) toKeychain(ctx context.Context, a domain.Account) error {
	kc, err := s.c.keychain()
	if err != nil {
		return err
	}
	key := ports.SecretKey{Account: a.Name, Kind: kindOf(a.Type)}
	v := a.Secret
	if a.Type == domain.TypeOAuthToken {
		v = a.Token
	}
	want := []byte(v.Reveal()) // copied to the keychain
	if err := kc.Set(ctx, key, want); err != nil {
		return err
	}
	undo := func(err error) error {
		s.c.undoSecret(context.WithoutCancel(ctx), key)
		return err
	}
	got, err := kc.Get(ctx, key)
	if err != nil {
		return undo(err)
	}
	if !sameBytes(got, want) {
		return undo(domain.NewError(domain.CodeSecretStoreUnavailable, "the keychain returned something else than the secret of account '%s' just written to it; nothing was moved", a.Name).
			WithDetail("account", string(a.Name)).
			WithHint("check the keychain, then run the migration again"))
	}
	t := true
	err = s.c.deps.Config.Update(ctx, func(cfg *domain.Config) error {
		cur, ok := cfg.Account(a.Name)
		if !ok || cur.External || cur.Secret != a.Secret || cur.Token != a.Token {
			return errChanged(a.Name)
		}
		_, err := cfg.UpdateAccount(a.Name, domain.AccountPatch{External: &t})
		return err
	})
	if err != nil {
		return undo(err)
	}
	return nil
}

// toConfig moves a keychain secret or token back inline into the config,
// then deletes the keychain item.
func (s *Accounts) toConfig(ctx context.Context, a domain.Account) error {
	kc, err := s.c.keychain()
	if err != nil {
		return err
	}
	key := ports.SecretKey{Account: a.Name, Kind: kindOf(a.Type)}
	raw, err := kc.Get(ctx, key)
	if err != nil {
		return err
	}
	v := domain.NewSecret(string(raw))
	if v.IsZero() {
		return domain.NewError(domain.CodeConfigError, "the keychain holds an empty secret for account '%s'; nothing was moved", a.Name).
			WithDetail("account", string(a.Name)).
			WithHint("store the secret again: mp account update %s", a.Name)
	}
	p := domain.AccountPatch{Secret: &v}
	if a.Type == domain.TypeOAuthToken {
		p = domain.AccountPatch{Token: &v}
	}
	err = s.c.deps.Config.Update(ctx, func(cfg *domain.Config) error {
		cur, ok := cfg.Account(a.Name)
		if !ok || !cur.External {
			return errChanged(a.Name)
		}
		_, err := cfg.UpdateAccount(a.Name, p)
		return err
	})
	if err != nil {
		return err
	}
	// Verify the copy before deleting the original.
	cfg, err := s.c.deps.Config.Load(ctx)
	if err != nil {
		return err
	}
	cur, ok := cfg.Account(a.Name)
	if !ok || cur.External || (cur.Secret != v && cur.Token != v) {
		return domain.NewError(domain.CodeConfigError, "the config does not hold the secret of account '%s' just written to it; the keychain keeps its copy", a.Name).
			WithDetail("account", string(a.Name)).
			WithHint("check config.toml, then run the migration again")
	}
	if err := kc.Delete(ctx, key); err != nil {
		return err
	}
	return nil
}

// migrateTokens moves an oauth_browser account's tokens between
// accounts/<name>/tokens.json and the keychain, under its refresh lock.
func (s *Accounts) migrateTokens(ctx context.Context, a domain.Account, to domain.SecretBackend, m MigratedAccount) (MigratedAccount, error) {
	files := s.c.deps.Secrets.File
	if files == nil || s.c.deps.Tokens == nil {
		return m, domain.NewError(domain.CodeConfigError, "this mp was built without a file secret store, so it cannot move OAuth tokens").
			WithHint("build the app with app.Deps.Secrets.File and Deps.Tokens set (internal/wiring does)")
	}
	kc, err := s.c.keychain()
	if err != nil {
		return m, err
	}
	src, dst, from := files, kc, storeFile
	if to == domain.SecretBackendFile {
		src, dst, from = kc, files, storeKeychain
	}
	unlock, err := s.c.lockRefresh(ctx, s.c.deps.Tokens, a.Name)
	if err != nil {
		return m, err
	}
	defer unlock()
	key := tokenKey(a.Name)
	raw, err := src.Get(ctx, key)
	if errors.Is(err, ports.ErrNotFound) {
		if _, derr := dst.Get(ctx, key); derr == nil {
			m.From, m.Note = string(to), "already there"
		} else {
			m.From, m.Note = "none", "not logged in"
		}
		return m, nil
	}
	if err != nil {
		return m, err
	}
	m.From = from
	if _, err := domain.DecodeTokensJSON(raw); err != nil {
		return m, domain.NewError(domain.CodeOAuthTokenError, "the tokens of account '%s' in the %s backend are corrupt; nothing was moved", a.Name, from).
			WithDetail("account", string(a.Name)).
			WithHint("log in again (mp account login %s), then run the migration", a.Name).
			WithCause(err)
	}
	if err := dst.Set(ctx, key, raw); err != nil {
		return m, err
	}
	got, err := dst.Get(ctx, key)
	if err != nil || !sameBytes(got, raw) {
		if derr := dst.Delete(context.WithoutCancel(ctx), key); derr != nil {
			s.log.Debug("could not undo the copy", zap.String("account", string(a.Name)), zap.String("code", string(domain.CodeOf(derr))))
		}
		if err == nil {
			err = domain.NewError(domain.CodeSecretStoreUnavailable, "the %s backend returned something else than the tokens of account '%s' just written to it; nothing was moved", to, a.Name).
				WithDetail("account", string(a.Name)).
				WithHint("run the migration again")
		}
		return m, err
	}
	if err := src.Delete(ctx, key); err != nil {
		return m, err
	}
	m.Moved = true
	return m, nil
}
