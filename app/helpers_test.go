package app_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports/inmem"
)

// Unique values seeded into accounts and the environment; no result, error
// or log may ever contain them.
const (
	saSecret  = "sa-secret-5c0f1e8d-UNIQUE"
	tokSecret = "inline-token-9a7b3c21-UNIQUE"
	envSecret = "env-secret-42d1e6aa-UNIQUE"
	envToken  = "env-token-c3e8b9f0-UNIQUE"
)

// allSecrets lists every seeded secret.
var allSecrets = []string{saSecret, tokSecret, envSecret, envToken}

// fixture is an App over in-memory fakes, with the fakes and captured logs.
type fixture struct {
	app     *app.App
	store   *inmem.ConfigStore
	storage *inmem.AccountStorage
	env     inmem.Env
	logs    *observer.ObservedLogs
}

// newFixture builds an App over cfg and env, with data stored for every
// account of cfg.
func newFixture(t *testing.T, cfg domain.Config, env inmem.Env) *fixture {
	t.Helper()
	if env == nil {
		env = inmem.Env{}
	}
	core, logs := observer.New(zapcore.DebugLevel)
	store := inmem.NewConfigStore(cfg)
	storage := inmem.NewAccountStorage(cfg.AccountNames()...)
	a := app.New(app.Deps{Config: store, Storage: storage, Env: env, Log: zap.New(core)})
	return &fixture{app: a, store: store, storage: storage, env: env, logs: logs}
}

// load returns the stored config.
func (f *fixture) load(t *testing.T) domain.Config {
	t.Helper()
	cfg, err := f.store.Load(context.Background())
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return cfg
}

// sa builds a valid service account.
func sa(name, project string) domain.Account {
	return domain.Account{
		Name: domain.AccountName(name), Type: domain.TypeServiceAccount, Region: domain.RegionUS,
		DefaultProject: domain.ProjectID(project), Username: "user-" + name, Secret: domain.NewSecret(saSecret),
	}
}

// tokenAccount builds a valid oauth_token account with an inline token.
func tokenAccount(name string) domain.Account {
	return domain.Account{
		Name: domain.AccountName(name), Type: domain.TypeOAuthToken, Region: domain.RegionEU,
		Token: domain.NewSecret(tokSecret),
	}
}

// browserAccount builds a valid oauth_browser account.
func browserAccount(name, project string) domain.Account {
	return domain.Account{
		Name: domain.AccountName(name), Type: domain.TypeOAuthBrowser, Region: domain.RegionIN,
		DefaultProject: domain.ProjectID(project),
	}
}

// mustConfig builds a config or fails the test.
func mustConfig(t *testing.T, d domain.ConfigData) domain.Config {
	t.Helper()
	c, err := domain.NewConfig(d)
	if err != nil {
		t.Fatalf("NewConfig: %v", err)
	}
	return c
}

// standardConfig holds three accounts (alpha active with workspace 7), two
// targets on alpha and beta, and no orphan.
//
//	alpha  service_account us  project 100
//	beta   oauth_token     eu  no project
//	gamma  oauth_browser   in  project 300
//	target ecom  → alpha, project 111, workspace 11
//	target web   → beta,  project 222
func standardConfig(t *testing.T) domain.Config {
	t.Helper()
	return mustConfig(t, domain.ConfigData{
		Accounts: []domain.Account{sa("alpha", "100"), tokenAccount("beta"), browserAccount("gamma", "300")},
		Targets: []domain.Target{
			{Name: "ecom", Account: "alpha", Project: "111", Workspace: 11},
			{Name: "web", Account: "beta", Project: "222"},
		},
		Active: domain.Active{Account: "alpha", Workspace: 7},
	})
}

// quadEnv is the service-account env quad.
func quadEnv() inmem.Env {
	return inmem.Env{"MP_USERNAME": "env-user", "MP_SECRET": envSecret, "MP_PROJECT_ID": "900", "MP_REGION": "eu"}
}

// tripleEnv is the OAuth env triple.
func tripleEnv() inmem.Env {
	return inmem.Env{"MP_OAUTH_TOKEN": envToken, "MP_PROJECT_ID": "901", "MP_REGION": "in"}
}

// wantCode fails unless err carries code.
func wantCode(t *testing.T, err error, code domain.Code) *domain.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %s", code)
	}
	if got := domain.CodeOf(err); got != code {
		t.Fatalf("error code = %q, want %q (error: %v)", got, code, err)
	}
	var de *domain.Error
	errors.As(err, &de)
	return de
}

// ptr returns a pointer to v.
func ptr[T any](v T) *T { return &v }

// countingStore wraps a ConfigStore and counts Update calls.
type countingStore struct {
	*inmem.ConfigStore
	updates atomic.Int32
}

// Update counts and delegates.
func (s *countingStore) Update(ctx context.Context, fn func(*domain.Config) error) error {
	s.updates.Add(1)
	return s.ConfigStore.Update(ctx, fn)
}

// errWrite simulates a failed atomic write.
var errWrite = errors.New("simulated write failure: disk full")

// failingWriteStore runs fn for real but fails the write, so nothing is
// committed — like a file store whose rename failed.
type failingWriteStore struct {
	*inmem.ConfigStore
}

// Update runs fn on the inner store's copy, then fails before committing.
func (s failingWriteStore) Update(ctx context.Context, fn func(*domain.Config) error) error {
	return s.ConfigStore.Update(ctx, func(c *domain.Config) error {
		if err := fn(c); err != nil {
			return err
		}
		return errWrite
	})
}

// errLoad simulates an unreadable config.
var errLoad = domain.NewError(domain.CodeConfigError, "cannot read /tmp/x/config.toml").WithHint("fix it")

// brokenStore fails every Load and Update.
type brokenStore struct{}

// Load fails.
func (brokenStore) Load(context.Context) (domain.Config, error) { return domain.Config{}, errLoad }

// Update fails without calling fn.
func (brokenStore) Update(context.Context, func(*domain.Config) error) error { return errLoad }

// failingStorage fails RemoveAccountData.
type failingStorage struct{}

// RemoveAccountData fails.
func (failingStorage) RemoveAccountData(context.Context, domain.AccountName) error {
	return errors.New("permission denied: accounts/alpha")
}

// assertNoSecret fails when s contains a seeded secret.
func assertNoSecret(t *testing.T, what, s string) {
	t.Helper()
	for _, sec := range allSecrets {
		if strings.Contains(s, sec) {
			t.Errorf("%s leaks a secret: %s", what, s)
		}
	}
}
