package app_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
	"github.com/mpdata/mp/ports/inmem"
)

// errInjected is the failure the faulty fakes report.
var errInjected = domain.NewError(domain.CodeConfigError, "injected failure: the directory could not be synced")

// faultyConfig is a ports.ConfigStore that can fail a transaction after
// committing it (a store whose final fsync fails after the rename), fail
// one before committing it, and fail loads after such a failure.
type faultyConfig struct {
	ports.ConfigStore
	mu               sync.Mutex
	commitThenFail   bool // Update commits, then reports errInjected
	runThenFail      bool // Update runs fn, commits nothing, reports errInjected
	loadFailsAfterUp bool // Load fails once an Update failed
	failed           bool
}

func (c *faultyConfig) Update(ctx context.Context, fn func(*domain.Config) error) error {
	c.mu.Lock()
	commit, abort := c.commitThenFail, c.runThenFail
	c.mu.Unlock()
	if abort {
		err := c.ConfigStore.Update(ctx, func(cfg *domain.Config) error {
			if err := fn(cfg); err != nil {
				return err
			}
			return errInjected
		})
		c.fail()
		return err
	}
	if err := c.ConfigStore.Update(ctx, fn); err != nil || !commit {
		return err
	}
	c.fail()
	return errInjected
}

func (c *faultyConfig) fail() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.failed = true
}

func (c *faultyConfig) Load(ctx context.Context) (domain.Config, error) {
	c.mu.Lock()
	bad := c.loadFailsAfterUp && c.failed
	c.mu.Unlock()
	if bad {
		return domain.Config{}, errInjected
	}
	return c.ConfigStore.Load(ctx)
}

// faultyKeychain wraps a SecretStore: Set of tooLarge's items fails with
// ports.ErrTooLarge, and onGet (when set) runs before every Get.
type faultyKeychain struct {
	ports.SecretStore
	tooLarge domain.AccountName
	onGet    func(ports.SecretKey)
}

func (k *faultyKeychain) Set(ctx context.Context, key ports.SecretKey, v []byte) error {
	if key.Account == k.tooLarge {
		return domain.NewError(domain.CodeSecretStoreUnavailable, "the %s of account '%s' is too large for the keychain", key.Kind, key.Account).
			WithCause(ports.ErrTooLarge)
	}
	return k.SecretStore.Set(ctx, key, v)
}

func (k *faultyKeychain) Get(ctx context.Context, key ports.SecretKey) ([]byte, error) {
	if k.onGet != nil {
		k.onGet(key)
	}
	return k.SecretStore.Get(ctx, key)
}

// holds reports whether store holds value under account/kind.
func holds(t *testing.T, store *inmem.SecretStore, account domain.AccountName, kind ports.SecretKind, value string) bool {
	t.Helper()
	v, err := store.Get(context.Background(), ports.SecretKey{Account: account, Kind: kind})
	return err == nil && strings.Contains(string(v), value)
}

// A transaction that reports a failure after it was committed must not
// take back the keychain write it committed: the config already says the
// secret is in the keychain, so deleting the item would leave the account
// with no secret anywhere. When the config cannot be read after the
// failure, the item stays too (an orphan is better than a loss).
func TestUndoKeepsCommittedKeychainWrites(t *testing.T) {
	ctx := context.Background()
	newSecret := domain.NewSecret(saSecret + "-new")
	tests := []struct {
		name    string
		backend domain.SecretBackend
		run     func(a *app.App) error
		account domain.AccountName
		kind    ports.SecretKind
		value   string
	}{
		{"add", domain.SecretBackendKeychain, func(a *app.App) error {
			_, err := a.Accounts.Add(ctx, sa("delta", "100"))
			return err
		}, "delta", ports.SecretServiceAccount, saSecret},
		{"update with a new secret", domain.SecretBackendKeychain, func(a *app.App) error {
			_, err := a.Accounts.Update(ctx, "alpha", domain.AccountPatch{Secret: &newSecret})
			return err
		}, "alpha", ports.SecretServiceAccount, newSecret.Reveal()},
		{"login of a service account", domain.SecretBackendKeychain, func(a *app.App) error {
			_, err := a.Accounts.LoginAny(ctx, app.LoginInput{Name: "delta", Type: domain.TypeServiceAccount, Region: domain.RegionUS, Username: "user-alpha", Secret: domain.NewSecret(saSecret)})
			return err
		}, "delta", ports.SecretServiceAccount, saSecret},
		{"migration of a secret", domain.SecretBackendFile, func(a *app.App) error {
			_, err := a.Accounts.MigrateSecrets(ctx, domain.SecretBackendKeychain, "alpha")
			return err
		}, "alpha", ports.SecretServiceAccount, saSecret},
		{"migration of tokens", domain.SecretBackendFile, func(a *app.App) error {
			_, err := a.Accounts.MigrateSecrets(ctx, domain.SecretBackendKeychain, "gamma")
			return err
		}, "gamma", ports.SecretTokenSet, oldAccess},
		{"browser login", domain.SecretBackendKeychain, func(a *app.App) error {
			_, err := a.Accounts.LoginAny(ctx, app.LoginInput{Name: "gamma", Type: domain.TypeOAuthBrowser, Options: app.LoginOptions{NoBrowser: true}})
			return err
		}, "gamma", ports.SecretTokenSet, newAccess},
	}
	for _, tt := range tests {
		for _, loadFails := range []bool{false, true} {
			name := tt.name
			if loadFails {
				name += "/config unreadable after the failure"
			}
			t.Run(name, func(t *testing.T) {
				f := newSecretsFixture(t, standardConfig(t), tt.backend)
				f.setupMe(t)
				f.seedTokens(t, "gamma")
				f.oauth.QueueLogin(domain.Tokens{AccessToken: domain.NewSecret(newAccess), RefreshToken: domain.NewSecret(newRefresh), TokenType: "Bearer", ExpiresAt: t0.Add(3600e9)}, nil)
				f.api.SetMe(domain.BearerCredential(domain.NewSecret(newAccess)), domain.RegionIN, buildMe(t, "x@example.com", meProject{ID: "300", Name: "P", Domain: "in.mixpanel.com"}))
				fc := &faultyConfig{ConfigStore: f.store, commitThenFail: true, loadFailsAfterUp: loadFails}
				f.config = fc
				err := tt.run(f.build(tt.backend))
				if !errors.Is(err, errInjected) {
					t.Fatalf("err = %v; want the injected failure", err)
				}
				if !holds(t, f.keychain, tt.account, tt.kind, tt.value) {
					t.Fatalf("the keychain lost %s/%s although the committed config refers to it (keys: %v)", tt.account, tt.kind, f.keychain.Keys())
				}
				cfg := f.load(t)
				if tt.kind == ports.SecretTokenSet {
					if cfg.Settings().TokenBackends.Of(tt.account) != domain.SecretBackendKeychain {
						t.Fatal("the committed config does not record the keychain")
					}
				} else if a, _ := cfg.Account(tt.account); !a.External {
					t.Fatal("the committed config does not keep the secret outside")
				}
			})
		}
	}
}

// A transaction that fails without committing takes its keychain write
// back: a new item is deleted, a replaced value is restored.
func TestUndoAfterAFailedTransaction(t *testing.T) {
	ctx := context.Background()
	ext := sa("alpha", "100")
	ext.Secret, ext.External = domain.Secret{}, true
	cfg := mustConfig(t, domain.ConfigData{Accounts: []domain.Account{ext, tokenAccount("beta"), browserAccount("gamma", "300")}})
	f := newSecretsFixture(t, cfg, domain.SecretBackendKeychain)
	f.setupMe(t)
	key := ports.SecretKey{Account: "alpha", Kind: ports.SecretServiceAccount}
	if err := f.keychain.Set(ctx, key, []byte(saSecret)); err != nil {
		t.Fatal(err)
	}
	f.config = &faultyConfig{ConfigStore: f.store, runThenFail: true}
	a := f.build(domain.SecretBackendKeychain)

	// update --secret-stdin of a keychain account: the old value comes back.
	s := domain.NewSecret("replacement-secret-0001")
	if _, err := a.Accounts.Update(ctx, "alpha", domain.AccountPatch{Secret: &s}); !errors.Is(err, errInjected) {
		t.Fatalf("update = %v", err)
	}
	if !holds(t, f.keychain, "alpha", ports.SecretServiceAccount, saSecret) || holds(t, f.keychain, "alpha", ports.SecretServiceAccount, "replacement") {
		t.Fatal("a failed update left the new secret in the keychain instead of the old one")
	}
	f.works(t, f.app, "alpha")

	// A new token for an inline account: the new item goes away.
	tok := domain.NewSecret("new-token-0002")
	if _, err := a.Accounts.Update(ctx, "beta", domain.AccountPatch{Token: &tok}); !errors.Is(err, errInjected) {
		t.Fatalf("update = %v", err)
	}
	if _, err := f.keychain.Get(ctx, ports.SecretKey{Account: "beta", Kind: ports.SecretStaticToken}); !errors.Is(err, ports.ErrNotFound) {
		t.Fatalf("a failed update left a keychain item behind: %v", err)
	}
}

// Two migrations of the same account at once (two mp processes): the
// second finds it moved; the secret is never lost. The second migration
// starts while the first reads its copy back; the first may not let it
// run in between.
func TestConcurrentMigrationsKeepTheSecret(t *testing.T) {
	ctx := context.Background()
	f := newSecretsFixture(t, standardConfig(t), domain.SecretBackendFile)
	f.setupMe(t)
	other := f.build(domain.SecretBackendFile) // the second process
	var (
		once sync.Once
		done = make(chan error, 1)
	)
	f.kc = &faultyKeychain{SecretStore: f.keychain, onGet: func(ports.SecretKey) {
		once.Do(func() {
			go func() {
				_, err := other.Accounts.MigrateSecrets(ctx, domain.SecretBackendKeychain, "alpha")
				done <- err
			}()
			// Give the second migration the chance to run now; with the
			// copy made under the config lock it waits for the first.
			select {
			case err := <-done:
				done <- err
			case <-time.After(200 * time.Millisecond):
			}
		})
	}}
	first := f.build(domain.SecretBackendFile)
	_, err1 := first.Accounts.MigrateSecrets(ctx, domain.SecretBackendKeychain, "alpha")
	err2 := <-done
	if err1 != nil && err2 != nil {
		t.Fatalf("both migrations failed: %v; %v", err1, err2)
	}
	a, _ := f.load(t).Account("alpha")
	if !a.External {
		t.Fatalf("alpha did not move (errors: %v; %v)", err1, err2)
	}
	if !holds(t, f.keychain, "alpha", ports.SecretServiceAccount, saSecret) {
		t.Fatalf("alpha's secret is nowhere: config external, keychain keys %v (errors: %v; %v)", f.keychain.Keys(), err1, err2)
	}
	f.works(t, f.app, "alpha")
}

// OAuth tokens are read exactly where [settings.token_backends] records
// them. An account moved to the keychain on its own while the file backend
// is selected: an unreachable keychain is SECRET_STORE_UNAVAILABLE (never
// "not logged in"), a logout fails rather than leave the keychain copy,
// and list/show say keychain without asking it.
func TestTokensAreReadWhereRecorded(t *testing.T) {
	ctx := context.Background()
	f := newSecretsFixture(t, standardConfig(t), domain.SecretBackendFile)
	f.setupMe(t)
	f.seedTokens(t, "gamma")
	if _, err := f.app.Accounts.MigrateSecrets(ctx, domain.SecretBackendKeychain, "gamma"); err != nil {
		t.Fatal(err)
	}
	if got := f.load(t).Settings().TokenBackends.Of("gamma"); got != domain.SecretBackendKeychain {
		t.Fatalf("token_backends of gamma = %q", got)
	}
	f.keychain.SetUnavailable(true)
	list, err := f.app.Accounts.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if list[2].Name != "gamma" || list[2].SecretStore != "keychain" {
		t.Fatalf("list says gamma's tokens are in %q", list[2].SecretStore)
	}
	show, err := f.app.Accounts.Show(ctx, domain.Selection{}, "gamma")
	if err != nil || show.SecretStore != "keychain" {
		t.Fatalf("show = %q, %v", show.SecretStore, err)
	}
	_, err = f.app.Accounts.Test(ctx, domain.Selection{}, "gamma")
	wantCode(t, err, domain.CodeSecretStoreUnavailable)
	_, err = f.app.Accounts.Logout(ctx, "gamma")
	wantCode(t, err, domain.CodeSecretStoreUnavailable)
	f.keychain.SetUnavailable(false)
	if !holds(t, f.keychain, "gamma", ports.SecretTokenSet, oldAccess) {
		t.Fatal("the keychain copy is gone")
	}
	f.works(t, f.app, "gamma")
	res, err := f.app.Accounts.Logout(ctx, "gamma")
	if err != nil || !res.Removed {
		t.Fatalf("logout = %+v, %v", res, err)
	}
	if len(f.keychain.Keys()) != 0 || f.load(t).Settings().TokenBackends != nil {
		t.Fatalf("after logout: keychain %v, record %v", f.keychain.Keys(), f.load(t).Settings().TokenBackends)
	}
}

// Without a record, tokens are in tokens.json (the Python tool's place),
// also with the keychain backend selected — and the keychain is not asked.
func TestUnrecordedTokensNeverProbeTheKeychain(t *testing.T) {
	ctx := context.Background()
	f := newSecretsFixture(t, standardConfig(t), domain.SecretBackendKeychain)
	f.setupMe(t)
	f.keychain.SetUnavailable(true)
	_, err := f.app.Accounts.Test(ctx, domain.Selection{}, "gamma")
	wantCode(t, err, domain.CodeOAuthTokenError) // not logged in
	f.seedTokens(t, "gamma")
	f.works(t, f.app, "gamma")
	list, err := f.app.Accounts.List(ctx)
	if err != nil || list[2].SecretStore != "file" {
		t.Fatalf("list = %+v, %v", list, err)
	}
	if _, err := f.app.Accounts.Remove(ctx, "gamma", true); err != nil {
		t.Fatalf("remove of a tokens.json account needed the keychain: %v", err)
	}
}

// A login with the keychain backend records the keychain in the same
// transaction; a later login with the file backend moves the tokens back
// and drops the record; removal deletes what the record points at.
func TestLoginRecordsWhereTokensGo(t *testing.T) {
	ctx := context.Background()
	f := newSecretsFixture(t, standardConfig(t), domain.SecretBackendKeychain)
	f.seedTokens(t, "gamma")
	login := func(a *app.App, access string) {
		t.Helper()
		f.oauth.QueueLogin(domain.Tokens{AccessToken: domain.NewSecret(access), RefreshToken: domain.NewSecret(newRefresh), TokenType: "Bearer", ExpiresAt: t0.Add(3600e9)}, nil)
		f.api.SetMe(domain.BearerCredential(domain.NewSecret(access)), domain.RegionIN, buildMe(t, "x@example.com", meProject{ID: "300", Name: "P", Domain: "in.mixpanel.com"}))
		if _, err := a.Accounts.Login(ctx, "gamma", app.LoginOptions{NoBrowser: true}); err != nil {
			t.Fatalf("login: %v", err)
		}
	}
	login(f.app, newAccess)
	if f.load(t).Settings().TokenBackends.Of("gamma") != domain.SecretBackendKeychain || len(f.files.Keys()) != 0 {
		t.Fatalf("after a keychain login: record %v, files %v", f.load(t).Settings().TokenBackends, f.files.Keys())
	}
	login(f.build(domain.SecretBackendFile), newAccess+"-2")
	if f.load(t).Settings().TokenBackends != nil || len(f.keychain.Keys()) != 0 || !holds(t, f.files, "gamma", ports.SecretTokenSet, newAccess+"-2") {
		t.Fatalf("after a file login: record %v, keychain %v", f.load(t).Settings().TokenBackends, f.keychain.Keys())
	}
	login(f.app, newAccess+"-3")
	if _, err := f.app.Accounts.Remove(ctx, "gamma", true); err != nil {
		t.Fatal(err)
	}
	if len(f.keychain.Keys()) != 0 || f.load(t).Settings().TokenBackends != nil {
		t.Fatalf("after remove: keychain %v, record %v", f.keychain.Keys(), f.load(t).Settings().TokenBackends)
	}
}

// A secret command that mp does not use (for an oauth_browser account or
// an inline secret) is noted in the debug log, not silently ignored.
func TestIgnoredSecretCommandIsLogged(t *testing.T) {
	cfg := mustConfig(t, domain.ConfigData{
		Accounts: []domain.Account{sa("alpha", "100"), browserAccount("gamma", "300")},
		Settings: domain.Settings{SecretCommands: domain.SecretCommands{"alpha": {"pass", "alpha"}, "gamma": {"pass", "gamma"}}},
	})
	f := newSecretsFixture(t, cfg, domain.SecretBackendFile)
	if _, err := f.app.Accounts.List(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, e := range f.logs.FilterMessage("secret command ignored").All() {
		got[e.ContextMap()["account"].(string)] = true
	}
	if !got["alpha"] || !got["gamma"] {
		t.Fatalf("ignored commands logged for %v, want alpha and gamma", got)
	}
}
