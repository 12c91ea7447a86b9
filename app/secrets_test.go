package app_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
	"github.com/mpdata/mp/ports/inmem"
)

// fileTokens is a ports.TokenStore over the token-set kind of a
// SecretStore — the in-memory twin of filestore's TokenStore and
// SecretStore sharing tokens.json.
type fileTokens struct {
	files *inmem.SecretStore
	locks *inmem.TokenStore
}

func (s fileTokens) Load(ctx context.Context, n domain.AccountName) (domain.Tokens, bool, error) {
	raw, err := s.files.Get(ctx, ports.SecretKey{Account: n, Kind: ports.SecretTokenSet})
	if errors.Is(err, ports.ErrNotFound) {
		return domain.Tokens{}, false, nil
	}
	if err != nil {
		return domain.Tokens{}, false, err
	}
	t, err := domain.DecodeTokensJSON(raw)
	return t, err == nil, err
}

func (s fileTokens) Save(ctx context.Context, n domain.AccountName, t domain.Tokens) error {
	raw, err := domain.EncodeTokensJSON(t)
	if err != nil {
		return err
	}
	return s.files.Set(ctx, ports.SecretKey{Account: n, Kind: ports.SecretTokenSet}, raw)
}

func (s fileTokens) Delete(ctx context.Context, n domain.AccountName) (bool, error) {
	_, ok, _ := s.Load(ctx, n)
	return ok, s.files.Delete(ctx, ports.SecretKey{Account: n, Kind: ports.SecretTokenSet})
}

func (s fileTokens) LockRefresh(ctx context.Context, n domain.AccountName) (func(), error) {
	return s.locks.LockRefresh(ctx, n)
}

// secretsFixture is a fixture whose App has the file backend's token files,
// a keychain and a secret-command store, all in memory.
type secretsFixture struct {
	*fixture
	files    *inmem.SecretStore
	keychain *inmem.SecretStore
	exec     *inmem.SecretStore
	// config and kc replace f.store and f.keychain in the Apps build
	// makes when set (faulty wrappers).
	config ports.ConfigStore
	kc     ports.SecretStore
}

func newSecretsFixture(t *testing.T, cfg domain.Config, backend domain.SecretBackend) *secretsFixture {
	t.Helper()
	f := &secretsFixture{fixture: newFixture(t, cfg, nil), files: inmem.NewSecretStore(), keychain: inmem.NewSecretStore(), exec: inmem.NewSecretStore()}
	f.app = f.build(backend)
	return f
}

// build returns an App over the fixture's fakes with backend selected.
func (f *secretsFixture) build(backend domain.SecretBackend) *app.App {
	var cfg ports.ConfigStore = f.store
	if f.config != nil {
		cfg = f.config
	}
	var kc ports.SecretStore = f.keychain
	if f.kc != nil {
		kc = f.kc
	}
	return app.New(app.Deps{
		Config: cfg, Storage: f.storage, Env: f.env, Log: f.log,
		API: f.api, Me: f.me, Clock: f.clock, OAuth: f.oauth,
		Tokens:  fileTokens{files: f.files, locks: f.tokens},
		Secrets: app.SecretStores{Backend: backend, File: f.files, Keychain: kc, Exec: f.exec},
	})
}

// seedTokens stores valid tokens for account in the file backend.
func (f *secretsFixture) seedTokens(t *testing.T, account domain.AccountName) {
	t.Helper()
	raw, err := domain.EncodeTokensJSON(domain.Tokens{AccessToken: domain.NewSecret(oldAccess), RefreshToken: domain.NewSecret(oldRefresh), TokenType: "Bearer", ExpiresAt: t0.Add(3600e9)})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.files.Set(context.Background(), ports.SecretKey{Account: account, Kind: ports.SecretTokenSet}, raw); err != nil {
		t.Fatal(err)
	}
}

// works checks that account authenticates against the fake API.
func (f *secretsFixture) works(t *testing.T, a *app.App, account domain.AccountName) {
	t.Helper()
	res, err := a.Accounts.Test(context.Background(), domain.Selection{}, account)
	if err != nil || !res.OK {
		t.Fatalf("account test of %s = %+v, %v", account, res, err)
	}
}

// setupMe answers /me for the standard accounts' credentials.
func (f *secretsFixture) setupMe(t *testing.T) {
	me := buildMe(t, "x@example.com", meProject{ID: "100", Name: "P"})
	f.api.SetMe(alphaCred, domain.RegionUS, me)
	f.api.SetMe(betaCred, domain.RegionEU, me)
	f.api.SetMe(domain.BearerCredential(domain.NewSecret(oldAccess)), domain.RegionIN, me)
}

// configText renders every inline secret of the stored config (what a
// config.toml would hold).
func (f *secretsFixture) inlineSecrets(t *testing.T) string {
	var b strings.Builder
	for _, a := range f.load(t).Accounts() {
		b.WriteString(a.Secret.Reveal() + a.Token.Reveal())
	}
	return b.String()
}

func TestKeychainBackendAddAndTest(t *testing.T) {
	ctx := context.Background()
	f := newSecretsFixture(t, domain.Config{}, domain.SecretBackendKeychain)
	f.setupMe(t)
	for _, a := range []domain.Account{sa("alpha", "100"), tokenAccount("beta")} {
		res, err := f.app.Accounts.Add(ctx, a)
		if err != nil {
			t.Fatalf("Add %s: %v", a.Name, err)
		}
		if res.Account.SecretStore != "keychain" {
			t.Errorf("Add %s: secret_store = %q, want keychain", a.Name, res.Account.SecretStore)
		}
		f.works(t, f.app, a.Name)
	}
	if s := f.inlineSecrets(t); s != "" {
		t.Fatal("the config holds a secret with the keychain backend")
	}
	for _, a := range f.load(t).Accounts() {
		if !a.External {
			t.Errorf("account %s is not marked external", a.Name)
		}
	}
	if got := f.keychain.Keys(); len(got) != 2 {
		t.Fatalf("keychain keys = %v", got)
	}
	// Keychain unreachable: SECRET_STORE_UNAVAILABLE, no fall back.
	f.keychain.SetUnavailable(true)
	_, err := f.app.Accounts.Test(ctx, domain.Selection{}, "alpha")
	wantCode(t, err, domain.CodeSecretStoreUnavailable)
	f.keychain.SetUnavailable(false)
	// Remove deletes the keychain item.
	if _, err := f.app.Accounts.Remove(ctx, "beta", true); err != nil {
		t.Fatal(err)
	}
	if got := f.keychain.Keys(); len(got) != 1 || got[0].Account != "alpha" {
		t.Fatalf("after remove, keychain keys = %v", got)
	}
	assertLogsClean(t, f.fixture)
}

func TestKeychainFailureStoresNothing(t *testing.T) {
	f := newSecretsFixture(t, domain.Config{}, domain.SecretBackendKeychain)
	f.keychain.SetUnavailable(true)
	_, err := f.app.Accounts.Add(context.Background(), sa("alpha", "100"))
	de := wantCode(t, err, domain.CodeSecretStoreUnavailable)
	if de.Hint == "" {
		t.Error("no hint")
	}
	if len(f.load(t).Accounts()) != 0 {
		t.Fatal("the account was added although its secret could not be stored")
	}
}

func TestExternalSecretSources(t *testing.T) {
	ctx := context.Background()
	ext := sa("alpha", "100")
	ext.Secret, ext.External = domain.Secret{}, true
	tok := tokenAccount("beta")
	tok.Token, tok.External = domain.Secret{}, true
	cfg := mustConfig(t, domain.ConfigData{
		Accounts: []domain.Account{ext, tok},
		Settings: domain.Settings{SecretCommands: domain.SecretCommands{"beta": {"pass", "show", "beta"}}},
	})
	f := newSecretsFixture(t, cfg, domain.SecretBackendFile)
	f.setupMe(t)
	// Missing everywhere: a clear error naming the account and the fix.
	_, err := f.app.Accounts.Test(ctx, domain.Selection{}, "alpha")
	de := wantCode(t, err, domain.CodeConfigError)
	if !strings.Contains(de.Message, "'alpha'") || !strings.Contains(de.Hint, "--secret-stdin") {
		t.Fatalf("error = %q, hint %q", de.Message, de.Hint)
	}
	_ = f.keychain.Set(ctx, ports.SecretKey{Account: "alpha", Kind: ports.SecretServiceAccount}, []byte(saSecret))
	f.works(t, f.app, "alpha")
	// beta has a command: the exec store answers, never the keychain.
	_ = f.keychain.Set(ctx, ports.SecretKey{Account: "beta", Kind: ports.SecretStaticToken}, []byte("wrong"))
	_ = f.exec.Set(ctx, ports.SecretKey{Account: "beta", Kind: ports.SecretStaticToken}, []byte(tokSecret))
	f.works(t, f.app, "beta")
	list, err := f.app.Accounts.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(list[0].SecretStore, " ", list[1].SecretStore)
	if got != "keychain exec" {
		t.Fatalf("secret_store of alpha, beta = %s", got)
	}
	// A command-backed secret cannot be replaced by mp.
	s := domain.NewSecret("new")
	_, err = f.app.Accounts.Update(ctx, "beta", domain.AccountPatch{Token: &s})
	if !errors.Is(err, ports.ErrReadOnly) || domain.CodeOf(err) != domain.CodeConfigError || strings.Contains(err.Error(), string(ports.ErrReadOnly)) {
		t.Fatalf("update of a command-backed token = %v; want CONFIG_ERROR matching ports.ErrReadOnly, without its text", err)
	}
	// Updating a keychain-backed secret keeps it in the keychain.
	s2 := domain.NewSecret(saSecret + "-2")
	if _, err := f.app.Accounts.Update(ctx, "alpha", domain.AccountPatch{Secret: &s2}); err != nil {
		t.Fatal(err)
	}
	if v, _ := f.keychain.Get(ctx, ports.SecretKey{Account: "alpha", Kind: ports.SecretServiceAccount}); string(v) != saSecret+"-2" {
		t.Fatal("the keychain does not hold the new secret")
	}
	if a, _ := f.load(t).Account("alpha"); !a.External {
		t.Fatal("the updated secret landed in the config")
	}
}

// file → keychain → file leaves every account working, and nothing in
// the config or token files while the secrets are in the keychain.
func TestMigrateRoundTrip(t *testing.T) {
	ctx := context.Background()
	f := newSecretsFixture(t, standardConfig(t), domain.SecretBackendFile)
	f.setupMe(t)
	f.seedTokens(t, "gamma")
	for _, n := range []domain.AccountName{"alpha", "beta", "gamma"} {
		f.works(t, f.app, n)
	}
	res, err := f.app.Accounts.MigrateSecrets(ctx, domain.SecretBackendKeychain, "")
	if err != nil {
		t.Fatalf("to keychain: %v", err)
	}
	if !res.BackendSet || len(res.Accounts) != 3 {
		t.Fatalf("result = %+v", res)
	}
	for _, m := range res.Accounts {
		if !m.Moved {
			t.Errorf("%s not moved: %+v", m.Account, m)
		}
	}
	if f.load(t).Settings().SecretBackend != domain.SecretBackendKeychain {
		t.Error("secret_backend not set")
	}
	if s := f.inlineSecrets(t); s != "" {
		t.Fatal("a secret stayed in the config")
	}
	if keys := f.files.Keys(); len(keys) != 0 {
		t.Fatalf("file secrets left behind: %v", keys)
	}
	kapp := f.build(domain.SecretBackendKeychain)
	for _, n := range []domain.AccountName{"alpha", "beta", "gamma"} {
		f.works(t, kapp, n)
		f.works(t, f.build(domain.SecretBackendFile), n) // read through the fallback
	}
	again, err := kapp.Accounts.MigrateSecrets(ctx, domain.SecretBackendKeychain, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range again.Accounts {
		if m.Moved || m.Note != "already there" {
			t.Errorf("second migration: %+v", m)
		}
	}
	if _, err := kapp.Accounts.MigrateSecrets(ctx, domain.SecretBackendFile, ""); err != nil {
		t.Fatalf("to file: %v", err)
	}
	if keys := f.keychain.Keys(); len(keys) != 0 {
		t.Fatalf("keychain items left behind: %v", keys)
	}
	fapp := f.build(domain.SecretBackendFile)
	for _, n := range []domain.AccountName{"alpha", "beta", "gamma"} {
		f.works(t, fapp, n)
	}
	if a, _ := f.load(t).Account("alpha"); a.External || a.Secret.Reveal() != saSecret {
		t.Fatal("alpha's secret is not inline again")
	}
	assertLogsClean(t, f.fixture)
}

// A keychain that fails half-way loses nothing: the failed account keeps
// its secret where it was. A secret too large for the keychain is noted
// and the migration goes on with the other accounts, without setting
// secret_backend.
func TestMigrateFailureLosesNothing(t *testing.T) {
	ctx := context.Background()
	f := newSecretsFixture(t, standardConfig(t), domain.SecretBackendFile)
	f.setupMe(t)
	f.seedTokens(t, "gamma")
	f.kc = &faultyKeychain{SecretStore: f.keychain, tooLarge: "alpha"} // alpha's secret does not fit
	res, err := f.build(domain.SecretBackendFile).Accounts.MigrateSecrets(ctx, domain.SecretBackendKeychain, "")
	if err != nil {
		t.Fatalf("migration = %v; want the too-large account noted, not an error", err)
	}
	if fmt.Sprint(res.Refused) != "[alpha]" || res.BackendSet || len(res.Accounts) != 3 {
		t.Fatalf("result = %+v; want alpha refused, the others moved, secret_backend untouched", res)
	}
	if m := res.Accounts[0]; m.Moved || !strings.Contains(m.Note, "too large") {
		t.Fatalf("alpha = %+v", m)
	}
	if !res.Accounts[1].Moved || !res.Accounts[2].Moved {
		t.Fatalf("beta and gamma did not move after alpha was refused: %+v", res.Accounts)
	}
	if a, _ := f.load(t).Account("alpha"); a.External || a.Secret.Reveal() != saSecret {
		t.Fatal("alpha lost its inline secret")
	}
	if got := fmt.Sprint(f.keychain.Keys()); strings.Contains(got, "alpha") {
		t.Fatalf("a partial copy stayed in the keychain: %s", got)
	}
	if f.load(t).Settings().SecretBackend != "" {
		t.Fatal("secret_backend set although alpha did not move")
	}
	f.kc = nil
	if _, err := f.app.Accounts.MigrateSecrets(ctx, domain.SecretBackendFile, ""); err != nil {
		t.Fatal(err)
	}
	f.keychain.SetUnavailable(true)
	_, err = f.app.Accounts.MigrateSecrets(ctx, domain.SecretBackendKeychain, "gamma")
	wantCode(t, err, domain.CodeSecretStoreUnavailable)
	if len(f.files.Keys()) != 1 {
		t.Fatal("gamma's tokens file is gone")
	}
	f.works(t, f.app, "gamma")
	if f.load(t).Settings().SecretBackend != domain.SecretBackendFile {
		t.Fatal("a per-account migration changed secret_backend")
	}
}

// Logins with the keychain backend put new tokens in the keychain and
// remove the old file copy; refreshes write back where the tokens are.
func TestLoginTokensGoToBackend(t *testing.T) {
	ctx := context.Background()
	f := newSecretsFixture(t, standardConfig(t), domain.SecretBackendKeychain)
	f.seedTokens(t, "gamma")
	f.oauth.QueueLogin(domain.Tokens{AccessToken: domain.NewSecret(newAccess), RefreshToken: domain.NewSecret(newRefresh), TokenType: "Bearer", ExpiresAt: t0.Add(3600e9)}, nil)
	f.api.SetMe(domain.BearerCredential(domain.NewSecret(newAccess)), domain.RegionIN, buildMe(t, "x@example.com", meProject{ID: "300", Name: "P", Domain: "in.mixpanel.com"}))
	if _, err := f.app.Accounts.Login(ctx, "gamma", app.LoginOptions{NoBrowser: true}); err != nil {
		t.Fatalf("login: %v", err)
	}
	if len(f.files.Keys()) != 0 {
		t.Fatal("the old tokens file stayed after a keychain-backend login")
	}
	raw, err := f.keychain.Get(ctx, ports.SecretKey{Account: "gamma", Kind: ports.SecretTokenSet})
	if err != nil || !strings.Contains(string(raw), newAccess) {
		t.Fatalf("keychain tokens = %v", err)
	}
}

// assertLogsClean fails when a log record holds a seeded secret.
func assertLogsClean(t *testing.T, f *fixture) {
	t.Helper()
	for _, e := range f.logs.All() {
		assertNoSecret(t, "log", fmt.Sprint(e.Message, e.ContextMap()))
	}
}

// With the keychain backend, an update that does not touch an inline
// secret leaves it inline; a new secret goes to the keychain.
func TestKeychainBackendMovesOnlyNewSecrets(t *testing.T) {
	ctx := context.Background()
	f := newSecretsFixture(t, standardConfig(t), domain.SecretBackendKeychain)
	eu := domain.RegionEU
	if _, err := f.app.Accounts.Update(ctx, "alpha", domain.AccountPatch{Region: &eu}); err != nil {
		t.Fatal(err)
	}
	if a, _ := f.load(t).Account("alpha"); a.External || a.Secret.Reveal() != saSecret {
		t.Fatal("a region update moved the inline secret")
	}
	if len(f.keychain.Keys()) != 0 {
		t.Fatal("the keychain was written")
	}
	tok := domain.NewSecret(tokSecret + "-2")
	if _, err := f.app.Accounts.Update(ctx, "beta", domain.AccountPatch{Token: &tok}); err != nil {
		t.Fatal(err)
	}
	if b, _ := f.load(t).Account("beta"); !b.External || !b.Token.IsZero() {
		t.Fatal("a new token did not go to the keychain")
	}
	// From the keychain to token_env: the keychain copy goes away.
	env := "BETA_TOKEN"
	if _, err := f.app.Accounts.Update(ctx, "beta", domain.AccountPatch{TokenEnv: &env}); err != nil {
		t.Fatal(err)
	}
	if len(f.keychain.Keys()) != 0 {
		t.Fatalf("keychain keys left: %v", f.keychain.Keys())
	}
	assertLogsClean(t, f.fixture)
}
