package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports/inmem"
)

// alphaMe is alpha's /me: two projects, the second with two workspaces.
func alphaMe(t *testing.T) domain.Me {
	t.Helper()
	return buildMe(t, "a@example.com",
		meProject{ID: "100", Name: "Zoo"},
		meProject{ID: "111", Name: "Apps", Workspaces: []meWorkspace{{ID: 12, Name: "Second"}, {ID: 11, Name: "Main", IsDefault: true}}},
	)
}

// seeded is the standard fixture with alpha and beta known to Mixpanel.
func seeded(t *testing.T, env inmem.Env) *fixture {
	t.Helper()
	f := newFixture(t, standardConfig(t), env)
	f.api.SetMe(alphaCred, domain.RegionUS, alphaMe(t))
	f.api.SetMe(betaCred, domain.RegionEU, buildMe(t, "b@example.com", meProject{ID: "222", Name: "Web"}))
	return f
}

func TestProjectsListCachesMe(t *testing.T) {
	ctx := context.Background()
	f := seeded(t, nil)

	first, err := f.app.Projects.List(ctx, domain.Selection{}, false)
	if err != nil {
		t.Fatal(err)
	}
	want := []app.ProjectSummary{
		{ID: "111", Name: "Apps", OrganizationID: 7, OrganizationName: "Acme", Timezone: "UTC", Domain: "mixpanel.com"},
		{ID: "100", Name: "Zoo", OrganizationID: 7, OrganizationName: "Acme", Timezone: "UTC", Domain: "mixpanel.com", IsActive: true},
	}
	if !reflect.DeepEqual(first, want) {
		t.Fatalf("List = %+v\nwant %+v", first, want)
	}
	if n := f.api.Count(inmem.EndpointMe); n != 1 {
		t.Fatalf("first List made %d /me calls, want 1", n)
	}
	if !f.me.Has("alpha") {
		t.Fatal("the /me answer was not written to the disk cache")
	}

	// The same App: from memory. A second App (the next `mp project list`
	// process): from the disk cache.
	if _, err := f.app.Projects.List(ctx, domain.Selection{}, false); err != nil {
		t.Fatal(err)
	}
	second := f.newApp(nil)
	got, err := second.Projects.List(ctx, domain.Selection{}, false)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("List from the disk cache = %+v", got)
	}
	if n := f.api.Count(inmem.EndpointMe); n != 1 {
		t.Fatalf("three Lists made %d /me calls, want 1", n)
	}

	// refresh bypasses memory and disk.
	if _, err := second.Projects.List(ctx, domain.Selection{}, true); err != nil {
		t.Fatal(err)
	}
	if n := f.api.Count(inmem.EndpointMe); n != 2 {
		t.Fatalf("after a refresh: %d /me calls, want 2", n)
	}

	// 24 h later the cached answers are stale, in memory and on disk.
	f.clock.Advance(domain.MeTTL)
	if _, err := f.app.Projects.List(ctx, domain.Selection{}, false); err != nil {
		t.Fatal(err)
	}
	if _, err := f.newApp(nil).Projects.List(ctx, domain.Selection{}, false); err != nil {
		t.Fatal(err)
	}
	if n := f.api.Count(inmem.EndpointMe); n != 3 {
		t.Fatalf("after 24 h: %d /me calls, want 3 (one refetch, then the fresh disk entry)", n)
	}
}

func TestProjectsListAccountWithoutProject(t *testing.T) {
	ctx := context.Background()
	f := seeded(t, nil)
	// beta has no default project: no project resolves, none is active.
	got, err := f.app.Projects.List(ctx, domain.Selection{Account: "beta"}, false)
	if err != nil {
		t.Fatal(err)
	}
	want := []app.ProjectSummary{{ID: "222", Name: "Web", OrganizationID: 7, OrganizationName: "Acme", Timezone: "UTC", Domain: "mixpanel.com"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("List = %+v", got)
	}
	if c := f.api.Calls(inmem.EndpointMe)[0].Scope; c.Region != domain.RegionEU || !c.Credential.Equal(betaCred) || c.Project != "" {
		t.Fatalf("/me scope = region %s, project %q", c.Region, c.Project)
	}
	// A target naming the project marks it active.
	got, err = f.app.Projects.List(ctx, domain.Selection{Target: "web"}, false)
	if err != nil || !got[0].IsActive {
		t.Fatalf("List with --target web = %+v, %v", got, err)
	}
	if b, _ := json.Marshal(got[0]); string(b) != `{"id":"222","name":"Web","organization_id":7,"timezone":"UTC","domain":"mixpanel.com","is_active":true}` {
		t.Fatalf("JSON = %s", b)
	}
}

func TestProjectsListEmptyIsNotNull(t *testing.T) {
	f := newFixture(t, standardConfig(t), nil)
	f.api.SetMe(alphaCred, domain.RegionUS, buildMe(t, "a@example.com"))
	got, err := f.app.Projects.List(context.Background(), domain.Selection{}, false)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := json.Marshal(got); string(b) != "[]" {
		t.Fatalf("JSON = %s, want []", b)
	}
}

func TestProjectsUseChecksMe(t *testing.T) {
	ctx := context.Background()
	t.Run("listed", func(t *testing.T) {
		f := seeded(t, nil)
		got, err := f.app.Projects.Use(ctx, domain.Selection{}, "111")
		if err != nil || got.Name != "Apps" || got.Warning != "" {
			t.Fatalf("Use = %+v, %v", got, err)
		}
	})
	t.Run("not listed", func(t *testing.T) {
		f := seeded(t, nil)
		_, err := f.app.Projects.Use(ctx, domain.Selection{}, "999")
		e := wantCode(t, err, domain.CodeProjectNotFound)
		if e.Message != "project 999 is not among the 2 projects account 'alpha' can see" || !strings.Contains(e.Hint, "mp project list") {
			t.Fatalf("error = %q, hint %q", e.Message, e.Hint)
		}
		if a, _ := f.load(t).Account("alpha"); a.DefaultProject == "999" {
			t.Fatal("a project /me does not list was written")
		}
	})
	t.Run("unreachable", func(t *testing.T) {
		f := seeded(t, nil)
		f.api.FailNext(inmem.EndpointMe, domain.NewError(domain.CodeNetworkUnreachable, "cannot reach mixpanel.com"))
		got, err := f.app.Projects.Use(ctx, domain.Selection{}, "111")
		if err != nil {
			t.Fatalf("Use failed because of /me: %v", err)
		}
		if got.Warning != "could not check project 111 against /me: cannot reach mixpanel.com" {
			t.Fatalf("Warning = %q", got.Warning)
		}
		b, _ := json.Marshal(got)
		if !strings.Contains(string(b), `"warning":"could not check`) || strings.Contains(string(b), `"name"`) {
			t.Fatalf("JSON = %s", b)
		}
	})
	t.Run("uses the cache", func(t *testing.T) {
		f := seeded(t, nil)
		if _, err := f.app.Projects.List(ctx, domain.Selection{}, false); err != nil {
			t.Fatal(err)
		}
		if _, err := f.newApp(nil).Projects.Use(ctx, domain.Selection{}, "111"); err != nil {
			t.Fatal(err)
		}
		if n := f.api.Count(inmem.EndpointMe); n != 1 {
			t.Fatalf("%d /me calls, want 1", n)
		}
	})
}

func TestAccountsTestJSON(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		sel    domain.Selection
		acct   domain.AccountName
		setup  func(f *fixture)
		code   domain.Code
		golden string
	}{
		{
			name: "ok", acct: "alpha",
			golden: `{"account_name":"alpha","ok":true,"user":{"id":42,"email":"a@example.com"},"accessible_project_count":2,"error":null,"error_code":null}`,
		},
		{
			name: "ok, resolved account", sel: domain.Selection{Account: "beta"},
			golden: `{"account_name":"beta","ok":true,"user":{"id":42,"email":"b@example.com"},"accessible_project_count":1,"error":null,"error_code":null}`,
		},
		{
			name: "401", acct: "alpha", code: domain.CodeAuthFailed,
			setup: func(f *fixture) {
				f.api.FailNext(inmem.EndpointMe, inmem.Unauthorized(domain.Scope{Account: "alpha", Region: domain.RegionUS}, "/api/app/me"))
			},
			golden: `{"account_name":"alpha","ok":false,"user":null,"accessible_project_count":0,` +
				`"error":"credentials for account 'alpha' are invalid (HTTP 401 from /api/app/me)","error_code":"AUTH_FAILED"}`,
		},
		{
			name: "unknown account", acct: "nope", code: domain.CodeAccountNotFound,
			golden: `{"account_name":"nope","ok":false,"user":null,"accessible_project_count":0,` +
				`"error":"account 'nope' not found; accounts: 'alpha', 'beta', 'gamma'","error_code":"ACCOUNT_NOT_FOUND"}`,
		},
		{
			name: "oauth_browser", acct: "gamma", code: domain.CodeOAuthTokenError,
			golden: `{"account_name":"gamma","ok":false,"user":null,"accessible_project_count":0,` +
				`"error":"account 'gamma' has no OAuth tokens: it is not logged in","error_code":"OAUTH_TOKEN_ERROR"}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := seeded(t, nil)
			// A cached answer must not stand in for the test.
			if _, err := f.app.Accounts.Me(ctx, domain.Selection{}, "alpha", false); err != nil {
				t.Fatal(err)
			}
			before := f.api.Count(inmem.EndpointMe)
			if tt.setup != nil {
				tt.setup(f)
			}
			got, err := f.app.Accounts.Test(ctx, tt.sel, tt.acct)
			if tt.code == "" && err != nil {
				t.Fatalf("Test error = %v", err)
			}
			if tt.code != "" {
				wantCode(t, err, tt.code)
			}
			b, _ := json.Marshal(got)
			if string(b) != tt.golden {
				t.Fatalf("JSON =\n%s\nwant\n%s", b, tt.golden)
			}
			if tt.code == "" || tt.code == domain.CodeAuthFailed {
				if n := f.api.Count(inmem.EndpointMe); n != before+1 {
					t.Fatalf("Test made %d /me calls, want 1 (it always asks Mixpanel)", n-before)
				}
			}
		})
	}
	t.Run("caches on success", func(t *testing.T) {
		f := seeded(t, nil)
		if _, err := f.app.Accounts.Test(ctx, domain.Selection{}, "alpha"); err != nil {
			t.Fatal(err)
		}
		if !f.me.Has("alpha") {
			t.Fatal("Test did not cache the answer")
		}
		if _, err := f.newApp(nil).Projects.List(ctx, domain.Selection{}, false); err != nil {
			t.Fatal(err)
		}
		if n := f.api.Count(inmem.EndpointMe); n != 1 {
			t.Fatalf("%d /me calls, want 1", n)
		}
	})
}

func TestMeErrors(t *testing.T) {
	ctx := context.Background()
	t.Run("403 for a service account names the scope", func(t *testing.T) {
		f := seeded(t, nil)
		f.api.FailNext(inmem.EndpointMe, domain.NewError(domain.CodePermissionDenied, "Mixpanel answered 403 for GET /api/app/me").WithDetail("status", 403))
		_, err := f.app.Accounts.Me(ctx, domain.Selection{}, "alpha", false)
		e := wantCode(t, err, domain.CodePermissionDenied)
		if !strings.Contains(e.Message, "user_details") || !strings.Contains(e.Hint, "user_details") {
			t.Fatalf("error = %v, hint %q", e, e.Hint)
		}
		if e.Details["status"] != 403 || e.Details["account"] != "alpha" {
			t.Fatalf("details = %v", e.Details)
		}
	})
	t.Run("401 hint per type", func(t *testing.T) {
		f := seeded(t, nil)
		for name, hint := range map[domain.AccountName]string{"alpha": "mp account update alpha --secret-stdin", "beta": "mp account update beta --token-stdin"} {
			f.api.FailNext(inmem.EndpointMe, inmem.Unauthorized(domain.Scope{}, "/api/app/me"))
			_, err := f.app.Accounts.Me(ctx, domain.Selection{}, name, true)
			e := wantCode(t, err, domain.CodeAuthFailed)
			if !strings.Contains(e.Hint, hint) || e.Message != fmt.Sprintf("credentials for account '%s' are invalid (credentials for these credentials are invalid (HTTP 401 from /api/app/me))", name) {
				t.Fatalf("%s: %v, hint %q", name, e, e.Hint)
			}
		}
	})
	t.Run("the adapter's wording is kept", func(t *testing.T) {
		f := seeded(t, nil)
		adapterErr := domain.NewError(domain.CodeAuthFailed, "credentials for account 'alpha' are invalid (HTTP 401 from /api/app/me): bad").
			WithHint("adapter hint").WithDetail("status", 401)
		f.api.FailNext(inmem.EndpointMe, adapterErr)
		_, err := f.app.Accounts.Me(ctx, domain.Selection{}, "alpha", false)
		e := wantCode(t, err, domain.CodeAuthFailed)
		if e.Message != adapterErr.Message || e.Hint != "adapter hint" || e.Details["account"] != "alpha" || e.Details["status"] != 401 {
			t.Fatalf("error = %v, hint %q, details %v", e, e.Hint, e.Details)
		}
		if _, ok := adapterErr.Details["account"]; ok {
			t.Fatal("the adapter's error was modified in place")
		}
	})
	t.Run("other errors pass unchanged", func(t *testing.T) {
		f := seeded(t, nil)
		rl := domain.NewError(domain.CodeRateLimited, "rate limited").WithDetail("retry_after", 3)
		f.api.FailNext(inmem.EndpointMe, rl)
		if _, err := f.app.Accounts.Me(ctx, domain.Selection{}, "alpha", false); err != error(rl) {
			t.Fatalf("error = %v, want the rate-limit error itself", err)
		}
	})
	t.Run("unsafe cache file is an error", func(t *testing.T) {
		f := seeded(t, nil)
		unsafe := domain.NewError(domain.CodeCredentialFileUnsafe, "refusing to read /h/.mp/accounts/alpha/me.json")
		a := app.New(app.Deps{Config: f.store, Storage: f.storage, API: f.api, Me: failingMeCache{unsafe}, Clock: f.clock})
		_, err := a.Projects.List(ctx, domain.Selection{}, false)
		wantCode(t, err, domain.CodeCredentialFileUnsafe)
		_, err = a.Sessions.Show(ctx, domain.Selection{}, false)
		wantCode(t, err, domain.CodeCredentialFileUnsafe)
		if n := f.api.Count(""); n != 0 {
			t.Fatalf("%d API calls despite the unsafe cache", n)
		}
	})
	t.Run("no API or clock", func(t *testing.T) {
		f := seeded(t, nil)
		a := app.New(app.Deps{Config: f.store, Storage: f.storage, Clock: f.clock})
		_, err := a.Projects.List(ctx, domain.Selection{}, false)
		wantCode(t, err, domain.CodeConfigError)
		a = app.New(app.Deps{Config: f.store, Storage: f.storage, API: f.api})
		_, err = a.Accounts.Me(ctx, domain.Selection{}, "", false)
		wantCode(t, err, domain.CodeConfigError)
	})
}

// failingMeCache fails every call with err.
type failingMeCache struct{ err error }

// Get fails.
func (c failingMeCache) Get(context.Context, domain.AccountName) (domain.CachedMe, bool, error) {
	return domain.CachedMe{}, false, c.err
}

// Put fails.
func (c failingMeCache) Put(context.Context, domain.AccountName, domain.CachedMe) error { return c.err }

// Delete fails.
func (c failingMeCache) Delete(context.Context, domain.AccountName) error { return c.err }

func TestTokenEnvReadAtCallTime(t *testing.T) {
	ctx := context.Background()
	cfg := mustConfig(t, domain.ConfigData{
		Accounts: []domain.Account{{Name: "ci", Type: domain.TypeOAuthToken, Region: domain.RegionUS, DefaultProject: "5", TokenEnv: "MP_CI_TOKEN"}},
		Active:   domain.Active{Account: "ci"},
	})
	f := newFixture(t, cfg, inmem.Env{})
	first := domain.BearerCredential(domain.NewSecret(envToken))
	second := domain.BearerCredential(domain.NewSecret(envToken + "-rotated"))
	f.api.SetMe(first, domain.RegionUS, buildMe(t, "ci@example.com", meProject{ID: "5", Name: "CI"}))
	f.api.SetMe(second, domain.RegionUS, buildMe(t, "ci@example.com", meProject{ID: "5", Name: "CI"}))

	_, err := f.app.Accounts.Me(ctx, domain.Selection{}, "", false)
	e := wantCode(t, err, domain.CodeConfigError)
	if e.Details["variable"] != "MP_CI_TOKEN" {
		t.Errorf("details = %v, want variable MP_CI_TOKEN", e.Details)
	}
	if e.Message != "account 'ci' reads its token from $MP_CI_TOKEN, which is not set" || e.Hint != "export MP_CI_TOKEN=… (the OAuth access token) and run the command again" {
		t.Fatalf("error = %q, hint %q", e.Message, e.Hint)
	}
	f.env["MP_CI_TOKEN"] = ""
	_, err = f.app.Accounts.Me(ctx, domain.Selection{}, "", false)
	if e := wantCode(t, err, domain.CodeConfigError); !strings.Contains(e.Message, "which is empty") {
		t.Fatalf("error = %v", e)
	}
	if n := f.api.Count(""); n != 0 {
		t.Fatalf("%d API calls without a token", n)
	}

	f.env["MP_CI_TOKEN"] = envToken
	if _, err := f.app.Query.EventNames(ctx, domain.Selection{}, 0); err != nil {
		t.Fatal(err)
	}
	f.env["MP_CI_TOKEN"] = envToken + "-rotated"
	if _, err := f.app.Query.EventNames(ctx, domain.Selection{}, 0); err != nil {
		t.Fatal(err)
	}
	calls := f.api.Calls(inmem.EndpointEventNames)
	if !calls[0].Scope.Credential.Equal(first) || !calls[1].Scope.Credential.Equal(second) {
		t.Fatal("the token was not read from the environment at each call")
	}
	// The /me answer fetched with the rotated token is on disk for the
	// next process.
	if _, err := f.app.Accounts.Me(ctx, domain.Selection{}, "", false); err != nil {
		t.Fatal(err)
	}
	f.env["MP_CI_TOKEN"] = envToken
	a := f.newApp(nil)
	if _, err := a.Accounts.Me(ctx, domain.Selection{}, "", false); err != nil {
		t.Fatal(err)
	}
	if got := f.api.Calls(inmem.EndpointMe); len(got) != 1 || !got[0].Scope.Credential.Equal(second) {
		t.Fatalf("/me calls = %d (the second App must use the disk cache)", len(got))
	}
}

func TestEnvBuiltAccountCachedInMemoryOnly(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, standardConfig(t), quadEnv())
	cred := domain.BasicCredential("env-user", domain.NewSecret(envSecret))
	f.api.SetMe(cred, domain.RegionEU, buildMe(t, "env@example.com", meProject{ID: "900", Name: "Env"}))
	for range 2 {
		got, err := f.app.Projects.List(ctx, domain.Selection{}, false)
		if err != nil || len(got) != 1 || !got[0].IsActive {
			t.Fatalf("List = %+v, %v", got, err)
		}
	}
	if n := f.api.Count(inmem.EndpointMe); n != 1 {
		t.Fatalf("%d /me calls, want 1 (memory)", n)
	}
	if _, puts := f.me.Counts(); puts != 0 || f.me.Has(domain.EnvServiceAccountName) {
		t.Fatalf("an env-built account's /me was written to disk (%d puts)", puts)
	}
	view, err := f.app.Sessions.Show(ctx, domain.Selection{}, false)
	if err != nil || view.Project.Name == nil || *view.Project.Name != "Env" {
		t.Fatalf("session = %+v, %v", view, err)
	}
}

func TestProbeRegion(t *testing.T) {
	ctx := context.Background()
	newAcct := domain.Account{Name: "found", Type: domain.TypeServiceAccount, Username: "svc", Secret: domain.NewSecret(saSecret + "-probe")}
	cred := domain.BasicCredential("svc", domain.NewSecret(saSecret+"-probe"))
	t.Run("a taken name is refused before the credential is sent", func(t *testing.T) {
		f := seeded(t, nil)
		taken := newAcct
		taken.Name = "alpha"
		_, err := f.app.Accounts.ProbeRegion(ctx, taken, nil)
		wantCode(t, err, domain.CodeAccountExists)
		if n := f.api.Count(inmem.EndpointMe); n != 0 {
			t.Fatalf("%d /me calls for a name that is taken, want 0", n)
		}
	})
	t.Run("second region wins, answer cached after Add", func(t *testing.T) {
		f := newFixture(t, domain.Config{}, nil)
		f.api.SetMe(cred, domain.RegionEU, buildMe(t, "f@example.com", meProject{ID: "31", Name: "EU"}))
		var progress []domain.Region
		r, err := f.app.Accounts.ProbeRegion(ctx, newAcct, func(r domain.Region) { progress = append(progress, r) })
		if err != nil || r != domain.RegionEU {
			t.Fatalf("ProbeRegion = %s, %v", r, err)
		}
		if !reflect.DeepEqual(progress, []domain.Region{"us", "eu"}) {
			t.Fatalf("progress = %v, want [us eu]", progress)
		}
		var regions []domain.Region
		for _, c := range f.api.Calls(inmem.EndpointMe) {
			regions = append(regions, c.Scope.Region)
		}
		if !reflect.DeepEqual(regions, []domain.Region{"us", "eu"}) {
			t.Fatalf("/me regions = %v", regions)
		}
		if f.me.Has("found") {
			t.Fatal("the probe cached /me before the account was added")
		}
		a := newAcct
		a.Region = r
		if _, err := f.app.Accounts.Add(ctx, a); err != nil {
			t.Fatal(err)
		}
		if !f.me.Has("found") {
			t.Fatal("the probed /me was not cached after Add")
		}
		got, err := f.newApp(nil).Projects.List(ctx, domain.Selection{}, false)
		if err != nil || len(got) != 1 || got[0].Name != "EU" {
			t.Fatalf("List = %+v, %v", got, err)
		}
		if n := f.api.Count(inmem.EndpointMe); n != 2 {
			t.Fatalf("%d /me calls, want the probe's 2 only", n)
		}
	})
	t.Run("Add of another account does not adopt the probe", func(t *testing.T) {
		f := newFixture(t, domain.Config{}, nil)
		f.api.SetMe(cred, domain.RegionUS, buildMe(t, "f@example.com"))
		if _, err := f.app.Accounts.ProbeRegion(ctx, newAcct, nil); err != nil {
			t.Fatal(err)
		}
		other := newAcct
		other.Region = domain.RegionUS
		other.Secret = domain.NewSecret("different")
		if _, err := f.app.Accounts.Add(ctx, other); err != nil {
			t.Fatal(err)
		}
		if f.me.Has("found") {
			t.Fatal("a probe of other credentials was cached for the account")
		}
	})
	t.Run("all 401", func(t *testing.T) {
		f := newFixture(t, domain.Config{}, nil)
		var progress []domain.Region
		_, err := f.app.Accounts.ProbeRegion(ctx, newAcct, func(r domain.Region) { progress = append(progress, r) })
		e := wantCode(t, err, domain.CodeRegionProbeFailed)
		if !reflect.DeepEqual(progress, []domain.Region{"us", "eu", "in"}) {
			t.Fatalf("progress = %v", progress)
		}
		if !reflect.DeepEqual(e.Details["regions_tried"], []string{"us", "eu", "in"}) || !strings.Contains(e.Message, "us, eu, in") || !strings.Contains(e.Hint, "--region") {
			t.Fatalf("error = %v, details %v, hint %q", e, e.Details, e.Hint)
		}
	})
	t.Run("network error stops the probe", func(t *testing.T) {
		f := newFixture(t, domain.Config{}, nil)
		f.api.FailNext(inmem.EndpointMe, inmem.Unauthorized(domain.Scope{}, "/api/app/me"), domain.NewError(domain.CodeNetworkUnreachable, "cannot reach eu.mixpanel.com"))
		_, err := f.app.Accounts.ProbeRegion(ctx, newAcct, nil)
		wantCode(t, err, domain.CodeNetworkUnreachable)
		if n := f.api.Count(inmem.EndpointMe); n != 2 {
			t.Fatalf("%d /me calls, want 2", n)
		}
	})
	t.Run("token_env account", func(t *testing.T) {
		f := newFixture(t, domain.Config{}, inmem.Env{"TOK": envToken})
		f.api.SetMe(domain.BearerCredential(domain.NewSecret(envToken)), domain.RegionIN, buildMe(t, "t@example.com"))
		r, err := f.app.Accounts.ProbeRegion(ctx, domain.Account{Name: "tok", Type: domain.TypeOAuthToken, TokenEnv: "TOK"}, nil)
		if err != nil || r != domain.RegionIN {
			t.Fatalf("ProbeRegion = %s, %v", r, err)
		}
	})
	t.Run("refusals", func(t *testing.T) {
		f := newFixture(t, domain.Config{}, nil)
		_, err := f.app.Accounts.ProbeRegion(ctx, domain.Account{Name: "b", Type: domain.TypeOAuthBrowser}, nil)
		wantCode(t, err, domain.CodeInvalidArgument)
		_, err = f.app.Accounts.ProbeRegion(ctx, domain.Account{Name: "s", Type: domain.TypeServiceAccount, Username: "u"}, nil)
		wantCode(t, err, domain.CodeInvalidArgument)
		if n := f.api.Count(""); n != 0 {
			t.Fatalf("%d API calls for refused probes", n)
		}
	})
}

func TestOAuthBrowserWithoutTokens(t *testing.T) {
	ctx := context.Background()
	f := seeded(t, nil)
	sel := domain.Selection{Account: "gamma"}
	_, err := f.app.Projects.List(ctx, sel, false)
	e := wantCode(t, err, domain.CodeOAuthTokenError)
	if !strings.Contains(e.Message, "has no OAuth tokens") || e.Hint != "mp account login gamma" {
		t.Fatalf("error = %v, hint %q", e, e.Hint)
	}
	_, err = f.app.Query.Segmentation(ctx, sel, domain.SegmentationQuery{Event: "Login", From: "2026-04-01", To: "2026-04-01"})
	wantCode(t, err, domain.CodeOAuthTokenError)
	if n := f.api.Count(""); n != 0 {
		t.Fatalf("%d API calls for an account without tokens", n)
	}
}

func TestWorkspacesList(t *testing.T) {
	ctx := context.Background()
	t.Run("from /me, default active when none set", func(t *testing.T) {
		f := seeded(t, nil)
		got, err := f.app.Workspaces.List(ctx, domain.Selection{Project: "111"}, false)
		if err != nil {
			t.Fatal(err)
		}
		want := []app.WorkspaceSummary{{ID: 11, Name: "Main", IsDefault: true, IsActive: true}, {ID: 12, Name: "Second"}}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("List = %+v", got)
		}
		if n := f.api.Count(inmem.EndpointWorkspaces); n != 0 {
			t.Fatalf("%d workspaces-endpoint calls, want 0 (/me lists them)", n)
		}
	})
	t.Run("session workspace active", func(t *testing.T) {
		f := seeded(t, nil)
		got, err := f.app.Workspaces.List(ctx, domain.Selection{Target: "ecom"}, false)
		if err != nil {
			t.Fatal(err)
		}
		if !got[0].IsActive || got[0].ID != 11 || got[1].IsActive {
			t.Fatalf("List = %+v", got)
		}
		// ecom's workspace 11 is also the default: a flag picks the other.
		got, err = f.app.Workspaces.List(ctx, domain.Selection{Project: "111", Workspace: 12}, false)
		if err != nil || got[0].IsActive || !got[1].IsActive {
			t.Fatalf("List = %+v, %v", got, err)
		}
	})
	t.Run("endpoint fallback", func(t *testing.T) {
		f := seeded(t, nil)
		f.api.SetWorkspaces("100", domain.Workspace{ID: 9, Name: "Nine"}, domain.Workspace{ID: 3, Name: "Three"})
		got, err := f.app.Workspaces.List(ctx, domain.Selection{}, false)
		if err != nil {
			t.Fatal(err)
		}
		// alpha's [active] workspace 7 is set: it is active even though
		// the project does not list it.
		want := []app.WorkspaceSummary{{ID: 3, Name: "Three"}, {ID: 9, Name: "Nine"}}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("List = %+v", got)
		}
		c := f.api.Calls(inmem.EndpointWorkspaces)
		if len(c) != 1 || c[0].Scope.Project != "100" || c[0].Scope.Workspace != 0 {
			t.Fatalf("workspaces calls = %+v", c)
		}
		if b, _ := json.Marshal(got[0]); string(b) != `{"id":3,"name":"Three","is_default":false,"is_active":false}` {
			t.Fatalf("JSON = %s", b)
		}
	})
}

func TestLazyWorkspace(t *testing.T) {
	ctx := context.Background()
	placeholder := domain.RawRequest{Path: "/api/app/workspaces/{workspace_id}/x"}
	tests := []struct {
		name string
		ws   []domain.Workspace
		want string
	}{
		{"default", []domain.Workspace{{ID: 4}, {ID: 5, IsDefault: true}, {ID: 6}}, "5"},
		{"first by id", []domain.Workspace{{ID: 8}, {ID: 6}}, "6"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := mustConfig(t, domain.ConfigData{Accounts: []domain.Account{sa("alpha", "100")}, Active: domain.Active{Account: "alpha"}})
			f := newFixture(t, cfg, nil)
			f.api.SetMe(alphaCred, domain.RegionUS, buildMe(t, "a@example.com", meProject{ID: "100", Name: "P"}))
			f.api.SetWorkspaces("100", tt.ws...)
			for range 2 {
				if _, err := f.app.API.Do(ctx, domain.Selection{}, placeholder); err != nil {
					t.Fatal(err)
				}
			}
			calls := f.api.Calls(inmem.EndpointDo)
			for _, c := range calls {
				if c.Request.Path != "/api/app/workspaces/"+tt.want+"/x" || c.Scope.Workspace.String() != tt.want {
					t.Fatalf("request = %+v, scope workspace %d", c.Request, c.Scope.Workspace)
				}
				if !reflect.DeepEqual(c.Request.Params, []domain.Param{{Key: "project_id", Value: "100"}, {Key: "workspace_id", Value: tt.want}}) {
					t.Fatalf("params = %+v", c.Request.Params)
				}
			}
			if n := f.api.Count(inmem.EndpointWorkspaces); n != 1 {
				t.Fatalf("%d workspace listings for two calls, want 1 (cached)", n)
			}
		})
	}
	t.Run("none", func(t *testing.T) {
		cfg := mustConfig(t, domain.ConfigData{Accounts: []domain.Account{sa("alpha", "100")}, Active: domain.Active{Account: "alpha"}})
		f := newFixture(t, cfg, nil)
		f.api.SetMe(alphaCred, domain.RegionUS, buildMe(t, "a@example.com", meProject{ID: "100", Name: "P"}))
		_, err := f.app.API.Do(ctx, domain.Selection{}, placeholder)
		e := wantCode(t, err, domain.CodeNoWorkspaces)
		if e.Details["project"] != "100" || e.Hint == "" {
			t.Fatalf("error = %v", e)
		}
		if n := f.api.Count(inmem.EndpointDo); n != 0 {
			t.Fatal("the request was sent without a workspace")
		}
	})
	t.Run("per project", func(t *testing.T) {
		f := seeded(t, nil)
		f.api.SetWorkspaces("101", domain.Workspace{ID: 1})
		if _, err := f.app.API.Do(ctx, domain.Selection{Project: "101"}, placeholder); err != nil {
			t.Fatal(err)
		}
		if _, err := f.app.API.Do(ctx, domain.Selection{Project: "111"}, placeholder); err != nil {
			t.Fatal(err)
		}
		calls := f.api.Calls(inmem.EndpointDo)
		if calls[0].Request.Path != "/api/app/workspaces/1/x" || calls[1].Request.Path != "/api/app/workspaces/11/x" {
			t.Fatalf("paths = %s, %s", calls[0].Request.Path, calls[1].Request.Path)
		}
	})
}

func TestQuerySegmentation(t *testing.T) {
	ctx := context.Background()
	q := domain.SegmentationQuery{Event: "Login", From: "2026-04-01", To: "2026-04-07", On: "country"}
	t.Run("no workspace", func(t *testing.T) {
		f := seeded(t, nil)
		res := domain.SegmentationResult{Event: "Login", Total: 3, Series: map[string]map[string]float64{"DE": {"2026-04-01": 3}}}
		f.api.SetSegmentation(res)
		got, err := f.app.Query.Segmentation(ctx, domain.Selection{Project: "42"}, q)
		if err != nil || got.Total != 3 {
			t.Fatalf("Segmentation = %+v, %v", got, err)
		}
		c := f.api.Calls(inmem.EndpointSegmentation)[0]
		want := q
		want.Unit, want.Type = "day", "general"
		if c.Segmentation != want {
			t.Fatalf("query = %+v, want the normalised %+v", c.Segmentation, want)
		}
		if c.Scope.Project != "42" || c.Scope.Workspace != 0 || c.Scope.Account != "alpha" || c.Scope.Region != domain.RegionUS || !c.Scope.Credential.Equal(alphaCred) {
			t.Fatalf("scope = %+v", c.Scope)
		}
		if n := f.api.Count(inmem.EndpointWorkspaces) + f.api.Count(inmem.EndpointMe); n != 0 {
			t.Fatalf("segmentation without a workspace made %d /me or workspace calls", n)
		}
	})
	t.Run("workspace and headers", func(t *testing.T) {
		cfg := standardConfig(t)
		if err := cfg.SetCustomHeader(&domain.Header{Name: "X-Team", Value: "data"}); err != nil {
			t.Fatal(err)
		}
		f := newFixture(t, cfg, nil)
		f.api.SetMe(alphaCred, domain.RegionUS, alphaMe(t))
		if _, err := f.app.Query.Segmentation(ctx, domain.Selection{Workspace: 3448414}, q); err != nil {
			t.Fatal(err)
		}
		c := f.api.Calls(inmem.EndpointSegmentation)[0]
		if c.Scope.Project != "100" || c.Scope.Workspace != 3448414 {
			t.Fatalf("scope = %+v", c.Scope)
		}
		if !reflect.DeepEqual(c.Scope.Headers, []domain.Header{{Name: "X-Team", Value: "data"}}) {
			t.Fatalf("headers = %+v", c.Scope.Headers)
		}
	})
	t.Run("invalid query", func(t *testing.T) {
		f := seeded(t, nil)
		_, err := f.app.Query.Segmentation(ctx, domain.Selection{}, domain.SegmentationQuery{Event: "Login", From: "2026-04-07", To: "2026-04-01"})
		wantCode(t, err, domain.CodeInvalidArgument)
		if n := f.api.Count(""); n != 0 {
			t.Fatal("an invalid query was sent")
		}
	})
	t.Run("API error passes through", func(t *testing.T) {
		f := seeded(t, nil)
		f.api.FailNext(inmem.EndpointSegmentation, domain.NewError(domain.CodeRateLimited, "rate limited"))
		_, err := f.app.Query.Segmentation(ctx, domain.Selection{}, q)
		wantCode(t, err, domain.CodeRateLimited)
	})
}

func TestQueryEventNames(t *testing.T) {
	ctx := context.Background()
	f := seeded(t, nil)
	f.api.SetEventNames("a", "b", "c")
	got, err := f.app.Query.EventNames(ctx, domain.Selection{}, 2)
	if err != nil || !reflect.DeepEqual(got, []string{"a", "b"}) {
		t.Fatalf("EventNames = %v, %v", got, err)
	}
	if _, err := f.app.Query.EventNames(ctx, domain.Selection{Target: "web"}, 0); err != nil {
		t.Fatal(err)
	}
	calls := f.api.Calls(inmem.EndpointEventNames)
	if calls[0].EventNames.Limit != 2 || calls[0].Scope.Workspace != 7 || calls[0].Scope.Project != "100" {
		t.Fatalf("first call = %+v", calls[0])
	}
	if calls[1].EventNames.Limit != app.DefaultEventNamesLimit || calls[1].Scope.Workspace != 0 || calls[1].Scope.Project != "222" || !calls[1].Scope.Credential.Equal(betaCred) {
		t.Fatalf("second call = %+v", calls[1])
	}
	_, err = f.app.Query.EventNames(ctx, domain.Selection{}, -1)
	wantCode(t, err, domain.CodeInvalidArgument)

	f.api.SetEventNames()
	got, err = f.app.Query.EventNames(ctx, domain.Selection{}, 5)
	if b, _ := json.Marshal(got); err != nil || string(b) != "[]" {
		t.Fatalf("no names = %s, %v", b, err)
	}
}

func TestRawAPIDo(t *testing.T) {
	ctx := context.Background()
	t.Run("injection", func(t *testing.T) {
		tests := []struct {
			name string
			sel  domain.Selection
			req  domain.RawRequest
			path string
			meth string
			want []domain.Param
			ws   domain.WorkspaceID
		}{
			{
				name: "project and workspace added", req: domain.RawRequest{Path: "/api/query/events/names", Params: []domain.Param{{Key: "type", Value: "general"}}},
				path: "/api/query/events/names", meth: "GET", ws: 7,
				want: []domain.Param{{Key: "type", Value: "general"}, {Key: "project_id", Value: "100"}, {Key: "workspace_id", Value: "7"}},
			},
			{
				name: "caller's values kept", req: domain.RawRequest{Method: "post", Path: "/api/app/x", Params: []domain.Param{{Key: "project_id", Value: "5"}, {Key: "workspace_id", Value: "6"}}},
				path: "/api/app/x", meth: "POST", ws: 7,
				want: []domain.Param{{Key: "project_id", Value: "5"}, {Key: "workspace_id", Value: "6"}},
			},
			{
				name: "no workspace", sel: domain.Selection{Target: "web"}, req: domain.RawRequest{Path: "/api/app/projects/{project_id}/workspaces/public"},
				path: "/api/app/projects/222/workspaces/public", meth: "GET",
				want: []domain.Param{{Key: "project_id", Value: "222"}},
			},
			{
				name: "both placeholders", req: domain.RawRequest{Method: "DELETE", Path: "/api/app/projects/{project_id}/workspaces/{workspace_id}"},
				path: "/api/app/projects/100/workspaces/7", meth: "DELETE", ws: 7,
				want: []domain.Param{{Key: "project_id", Value: "100"}, {Key: "workspace_id", Value: "7"}},
			},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				f := seeded(t, nil)
				f.api.SetRawResponse(domain.RawResponse{Status: 200, ContentType: "application/json", Body: []byte(`{"ok":1}`)})
				resp, err := f.app.API.Do(ctx, tt.sel, tt.req)
				if err != nil || string(resp.Body) != `{"ok":1}` {
					t.Fatalf("Do = %+v, %v", resp, err)
				}
				c := f.api.Calls(inmem.EndpointDo)[0]
				if c.Request.Path != tt.path || c.Request.Method != tt.meth || !reflect.DeepEqual(c.Request.Params, tt.want) || c.Scope.Workspace != tt.ws {
					t.Fatalf("sent %s %s %+v (scope workspace %d)", c.Request.Method, c.Request.Path, c.Request.Params, c.Scope.Workspace)
				}
				if len(tt.req.Params) > 0 && len(tt.req.Params) != len(f.api.Calls(inmem.EndpointDo)[0].Request.Params) && &tt.req.Params[0] == &c.Request.Params[0] {
					t.Fatal("the caller's params slice was modified")
				}
			})
		}
	})
	t.Run("path validation", func(t *testing.T) {
		bad := []string{
			"", "me", "/api/app", "/api/apps/me", "/oauth/token/", "https://evil.example/api/app/me",
			"/api/app/../../oauth/token", "/api/app/./me", "/api/app//me", "/api/app/me?x=1", "/api/app/me#f",
			"/api/app/%2e%2e/x", "/api/app/a b", "/api/app/a\nb", `/api/app/a\b`, "/api/app/{user_id}",
		}
		f := seeded(t, nil)
		for _, p := range bad {
			_, err := f.app.API.Do(ctx, domain.Selection{}, domain.RawRequest{Path: p})
			e := wantCode(t, err, domain.CodeInvalidArgument)
			if e.Hint == "" {
				t.Errorf("%q: no hint", p)
			}
		}
		_, err := f.app.API.Do(ctx, domain.Selection{}, domain.RawRequest{Method: "TRACE", Path: "/api/app/me"})
		wantCode(t, err, domain.CodeInvalidArgument)
		if n := f.api.Count(""); n != 0 {
			t.Fatalf("%d calls for invalid requests", n)
		}
	})
}

func TestSessionNamesFromCache(t *testing.T) {
	ctx := context.Background()
	f := seeded(t, nil)
	sel := domain.Selection{Target: "ecom"} // alpha, project 111, workspace 11
	view, err := f.app.Sessions.Show(ctx, sel, false)
	if err != nil {
		t.Fatal(err)
	}
	if view.Project.Name != nil || view.Workspace.Name != nil || view.User != nil {
		t.Fatalf("names without a cache: %+v", view)
	}
	if _, err := f.app.Projects.List(ctx, sel, false); err != nil {
		t.Fatal(err)
	}
	calls := f.api.Count("")

	// A new process, a day later: the disk entry is stale but still names.
	f.clock.Advance(48 * time.Hour)
	a := f.newApp(zap.NewNop())
	view, err = a.Sessions.Show(ctx, sel, false)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(view)
	golden := compact(t, `{
		"account": {"name": "alpha", "type": "service_account", "region": "us", "source": "target ecom"},
		"project": {"id": "111", "name": "Apps", "source": "target ecom"},
		"workspace": {"id": 11, "name": "Main", "source": "target ecom"},
		"user": {"email": "a@example.com"},
		"bridge": null
	}`)
	if string(b) != golden {
		t.Fatalf("JSON =\n%s\nwant\n%s", b, golden)
	}
	// Unknown project and workspace: null names, the user still known.
	view, err = a.Sessions.Show(ctx, domain.Selection{Project: "5", Workspace: 99}, false)
	if err != nil || view.Project.Name != nil || view.Workspace.Name != nil || view.User == nil {
		t.Fatalf("session = %+v, %v", view, err)
	}
	if n := f.api.Count(""); n != calls {
		t.Fatalf("Sessions.Show made %d API calls", n-calls)
	}
}

func TestRemoveForgetsMe(t *testing.T) {
	ctx := context.Background()
	f := seeded(t, nil)
	for range 2 {
		if _, err := f.app.Accounts.Me(ctx, domain.Selection{}, "beta", false); err != nil {
			t.Fatal(err)
		}
	}
	if gets, _ := f.me.Counts(); gets != 1 {
		t.Fatalf("%d disk reads, want 1 (the second answer from memory)", gets)
	}
	if _, err := f.app.Accounts.Remove(ctx, "beta", true); err != nil {
		t.Fatal(err)
	}
	if _, err := f.app.Accounts.Add(ctx, tokenAccount("beta")); err != nil {
		t.Fatal(err)
	}
	if _, err := f.app.Accounts.Me(ctx, domain.Selection{}, "beta", false); err != nil {
		t.Fatal(err)
	}
	if gets, _ := f.me.Counts(); gets != 2 {
		t.Fatalf("%d disk reads, want 2: Remove must drop the account's answer from memory", gets)
	}
}

func TestNetworkUseCasesLeakNoSecret(t *testing.T) {
	ctx := context.Background()
	f := seeded(t, quadEnv())
	f.env["MP_CI_TOKEN"] = envToken
	var out []any
	var errs []error
	record := func(v any, err error) {
		out = append(out, v)
		if err != nil {
			errs = append(errs, err)
		}
	}
	record(f.app.Accounts.Test(ctx, domain.Selection{}, "alpha"))
	record(f.app.Accounts.Test(ctx, domain.Selection{}, "beta"))
	record(f.app.Accounts.Test(ctx, domain.Selection{}, ""))
	record(f.app.Accounts.Test(ctx, domain.Selection{}, "gamma"))
	record(f.app.Projects.List(ctx, domain.Selection{Account: "alpha"}, false))
	record(f.app.Projects.List(ctx, domain.Selection{}, false))
	record(f.app.Workspaces.List(ctx, domain.Selection{Account: "alpha", Project: "111"}, false))
	record(f.app.Query.EventNames(ctx, domain.Selection{Account: "beta", Project: "1"}, 0))
	record(f.app.API.Do(ctx, domain.Selection{Account: "alpha"}, domain.RawRequest{Path: "/api/app/x/{workspace_id}"}))
	record(f.app.Accounts.ProbeRegion(ctx, sa("new", "1"), nil))
	for i, v := range out {
		b, _ := json.Marshal(v)
		assertNoSecret(t, fmt.Sprintf("result %d", i), string(b)+fmt.Sprintf("%+v %#v", v, v))
	}
	if len(errs) == 0 {
		t.Fatal("expected errors to scan")
	}
	for i, err := range errs {
		assertNoSecret(t, fmt.Sprintf("error %d", i), fmt.Sprintf("%v %+v %#v", err, err, err))
		if e := wantAnyDomainError(t, err); e != nil {
			d, _ := json.Marshal(e.Details)
			assertNoSecret(t, fmt.Sprintf("error %d details/hint", i), string(d)+e.Hint)
		}
	}
	for i, e := range f.logs.All() {
		assertNoSecret(t, fmt.Sprintf("log %d", i), fmt.Sprintf("%s %+v", e.Message, e.ContextMap()))
	}
}

// TestUpdateForgetsTheCachedMe: after `account update` changes who the
// account is (credentials) or where it calls (region), the next command
// asks /me again instead of serving the old identity's projects; a change
// of default project alone keeps the cache.
func TestUpdateForgetsTheCachedMe(t *testing.T) {
	ctx := context.Background()
	f := seeded(t, nil)
	if _, err := f.app.Projects.List(ctx, domain.Selection{}, false); err != nil {
		t.Fatal(err)
	}
	project := domain.ProjectID("111")
	if _, err := f.app.Accounts.Update(ctx, "alpha", domain.AccountPatch{DefaultProject: &project}); err != nil {
		t.Fatal(err)
	}
	if !f.me.Has("alpha") {
		t.Fatal("a project change dropped the /me cache")
	}
	secret := domain.NewSecret("rotated-secret")
	if _, err := f.app.Accounts.Update(ctx, "alpha", domain.AccountPatch{Secret: &secret}); err != nil {
		t.Fatal(err)
	}
	if f.me.Has("alpha") {
		t.Fatal("the /me cache of the old credentials survived a secret change")
	}
	// The next command (same App: memory must be clear too) refetches; the
	// fake answers only known credentials, so expect the call, not success.
	_, _ = f.app.Projects.List(ctx, domain.Selection{}, false)
	if n := f.api.Count(inmem.EndpointMe); n != 2 {
		t.Fatalf("%d /me calls, want 2: the changed credentials must be checked anew", n)
	}
}
