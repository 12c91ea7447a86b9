package app_test

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

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
	// OAuth tokens of oauth_browser accounts (oauth_test.go).
	oldAccess  = "old-access-1b2c3d4e-UNIQUE"
	oldRefresh = "old-refresh-5f6a7b8c-UNIQUE"
	newAccess  = "new-access-9d0e1f2a-UNIQUE"
	newRefresh = "new-refresh-3b4c5d6e-UNIQUE"
)

// allSecrets lists every seeded secret.
var allSecrets = []string{saSecret, tokSecret, envSecret, envToken, oldAccess, oldRefresh, newAccess, newRefresh}

// fixture is an App over in-memory fakes, with the fakes and captured logs.
type fixture struct {
	app     *app.App
	store   *inmem.ConfigStore
	storage *inmem.AccountStorage
	env     inmem.Env
	logs    *observer.ObservedLogs
	api     *inmem.MixpanelAPI
	me      *inmem.MeCache
	clock   *inmem.Clock
	tokens  *inmem.TokenStore
	oauth   *inmem.OAuthFlow
	log     *zap.Logger // records into logs
}

// t0 is the fixture clock's start.
var t0 = time.Date(2026, 4, 1, 10, 0, 0, 0, time.UTC)

// newFixture builds an App over cfg and env, with data stored for every
// account of cfg.
func newFixture(t *testing.T, cfg domain.Config, env inmem.Env) *fixture {
	t.Helper()
	if env == nil {
		env = inmem.Env{}
	}
	core, logs := observer.New(zapcore.DebugLevel)
	f := &fixture{
		store:   inmem.NewConfigStore(cfg),
		storage: inmem.NewAccountStorage(cfg.AccountNames()...),
		env:     env,
		logs:    logs,
		api:     inmem.NewMixpanelAPI(),
		me:      inmem.NewMeCache(),
		clock:   inmem.NewClock(t0),
		tokens:  inmem.NewTokenStore(),
		oauth:   inmem.NewOAuthFlow(),
	}
	f.log = zap.New(core)
	f.app = f.newApp(f.log)
	return f
}

// newApp builds another App over the same fakes — a second process
// sharing the config, the disk cache and Mixpanel, but not the memory.
func (f *fixture) newApp(log *zap.Logger) *app.App {
	return app.New(app.Deps{
		Config: f.store, Storage: f.storage, Env: f.env, Log: log,
		API: f.api, Me: f.me, Clock: f.clock, Tokens: f.tokens, OAuth: f.oauth,
	})
}

// alphaCred, betaCred: the credentials of the standard accounts alpha (us)
// and beta (eu).
var (
	alphaCred = domain.BasicCredential("user-alpha", domain.NewSecret(saSecret))
	betaCred  = domain.BearerCredential(domain.NewSecret(tokSecret))
)

// meProject is a project of a /me answer built by buildMe.
type meProject struct {
	ID, Name   string
	Workspaces []meWorkspace
	// Domain is the project's API domain; empty means mixpanel.com (us).
	Domain string
}

// meWorkspace is a workspace of a meProject.
type meWorkspace struct {
	ID        int64
	Name      string
	IsDefault bool
}

// buildMe builds a /me answer for email with the given projects (domain
// mixpanel.com, organisation 7) and an unknown top-level field.
func buildMe(t *testing.T, email string, projects ...meProject) domain.Me {
	t.Helper()
	ps := map[string]any{}
	ws := map[string]any{}
	for _, p := range projects {
		dom := p.Domain
		if dom == "" {
			dom = "mixpanel.com"
		}
		ps[p.ID] = map[string]any{"name": p.Name, "organization_id": 7, "timezone": "UTC", "domain": dom, "has_workspaces": len(p.Workspaces) > 0}
		for _, w := range p.Workspaces {
			ws[strconv.FormatInt(w.ID, 10)] = map[string]any{"id": w.ID, "name": w.Name, "project_id": json.Number(p.ID), "is_default": w.IsDefault}
		}
	}
	doc := map[string]any{
		"user_id": 42, "user_email": email, "user_name": "Test User",
		"organizations": map[string]any{"7": map[string]any{"id": 7, "name": "Acme", "role": "owner"}},
		"projects":      ps, "workspaces": ws, "unknown_extra": []int{1, 2},
	}
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	me, err := domain.ParseMe(b)
	if err != nil {
		t.Fatalf("ParseMe: %v", err)
	}
	return me
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
