package app_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
	"github.com/mpdata/mp/ports/inmem"
)

// expiry is when the fresh tokens of these tests expire.
var expiry = t0.Add(time.Hour)

// oldTokens are stored tokens; expiresAt decides whether they need a
// refresh at t0.
func oldTokens(expiresAt time.Time) domain.Tokens {
	return domain.Tokens{
		AccessToken: domain.NewSecret(oldAccess), RefreshToken: domain.NewSecret(oldRefresh),
		ExpiresAt: expiresAt, TokenType: "Bearer", Scope: "projects", ClientID: "client-1",
	}
}

// loginTokens are what a browser login returns.
func loginTokens() domain.Tokens {
	return domain.Tokens{
		AccessToken: domain.NewSecret(newAccess), RefreshToken: domain.NewSecret(newRefresh),
		ExpiresAt: expiry, TokenType: "Bearer", Scope: domain.OAuthScope, ClientID: "client-2",
	}
}

// newCred is the bearer of loginTokens.
var newCred = domain.BearerCredential(domain.NewSecret(newAccess))

// browserConfig holds the oauth_browser account "web" (us, no project),
// the service account "alpha" (us, project 100, active) and the oauth_token
// account "tok" (eu, token_env TOK).
func browserConfig(t *testing.T) domain.Config {
	t.Helper()
	return mustConfig(t, domain.ConfigData{
		Accounts: []domain.Account{
			{Name: "web", Type: domain.TypeOAuthBrowser, Region: domain.RegionUS},
			sa("alpha", "100"),
			{Name: "tok", Type: domain.TypeOAuthToken, Region: domain.RegionEU, TokenEnv: "TOK"},
		},
		Active: domain.Active{Account: "alpha", Workspace: 5},
	})
}

// hookAPI calls before ahead of every /me call.
type hookAPI struct {
	*inmem.MixpanelAPI
	before func()
}

// Me runs the hook, then the fake.
func (h hookAPI) Me(ctx context.Context, scope domain.Scope) (domain.Me, error) {
	h.before()
	return h.MixpanelAPI.Me(ctx, scope)
}

// withAPI rebuilds the fixture's App over api.
func (f *fixture) withAPI(api ports.MixpanelAPI) {
	f.app = app.New(app.Deps{
		Config: f.store, Storage: f.storage, Env: f.env, Log: f.log,
		API: api, Me: f.me, Clock: f.clock, Tokens: f.tokens, OAuth: f.oauth,
	})
}

// nothingPersisted fails when a login persisted anything for account.
func nothingPersisted(t *testing.T, f *fixture, account domain.AccountName, cfgBefore domain.ConfigData) {
	t.Helper()
	if f.tokens.Has(account) {
		t.Error("tokens were saved")
	}
	if f.me.Has(account) {
		t.Error("the /me answer was cached on disk")
	}
	if got := f.load(t).Data(); !reflect.DeepEqual(got, cfgBefore) {
		t.Errorf("config changed:\n%+v\nwant\n%+v", got, cfgBefore)
	}
}

func TestAccountLogin(t *testing.T) {
	ctx := context.Background()
	twoProjects := []meProject{{ID: "111", Name: "Apps"}, {ID: "100", Name: "Zoo"}}

	t.Run("persists tokens, /me and the backfilled project only after /me", func(t *testing.T) {
		f := newFixture(t, browserConfig(t), nil)
		f.oauth.QueueLogin(loginTokens(), nil)
		f.api.SetMe(newCred, domain.RegionUS, buildMe(t, "w@example.com", twoProjects...))
		before := f.load(t).Data()
		meCalls := 0
		f.withAPI(hookAPI{MixpanelAPI: f.api, before: func() {
			meCalls++
			if meCalls == 1 {
				nothingPersisted(t, f, "web", before)
			}
		}})
		var events []ports.LoginEventKind
		res, err := f.app.Accounts.Login(ctx, "web", app.LoginOptions{NoBrowser: true, Notify: func(e ports.LoginEvent) { events = append(events, e.Kind) }})
		if err != nil {
			t.Fatal(err)
		}
		if meCalls != 1 {
			t.Fatalf("%d /me calls, want 1", meCalls)
		}
		b, _ := json.Marshal(res)
		want := `{"account":"web","type":"oauth_browser","region":"us","user":{"id":42,"email":"w@example.com"},` +
			`"project":{"id":"100","name":"Zoo"},"expires_at":"2026-04-01T11:00:00Z","created":false,"active":false}`
		if string(b) != want {
			t.Fatalf("result =\n%s\nwant\n%s", b, want)
		}
		got, ok, _ := f.tokens.Load(ctx, "web")
		if !ok || !reflect.DeepEqual(got, loginTokens()) {
			t.Fatalf("stored tokens = %+v, %v", got, ok)
		}
		if !f.me.Has("web") {
			t.Fatal("/me not cached")
		}
		if a, _ := f.load(t).Account("web"); a.DefaultProject != "100" {
			t.Fatalf("default_project = %q, want the smallest id 100", a.DefaultProject)
		}
		if act := f.load(t).Active(); act != (domain.Active{Account: "alpha", Workspace: 5}) {
			t.Fatalf("account login changed [active]: %+v", act)
		}
		reqs := f.oauth.LoginRequests()
		if len(reqs) != 1 || reqs[0].Region != domain.RegionUS || !reqs[0].NoBrowser {
			t.Fatalf("login requests = %+v", reqs)
		}
		if len(events) == 0 {
			t.Fatal("Notify was not passed to the flow")
		}
		// The account now works without another login.
		if _, err := f.app.Projects.List(ctx, domain.Selection{Account: "web"}, true); err != nil {
			t.Fatalf("Projects.List after login: %v", err)
		}
	})

	t.Run("picker chooses the backfilled project", func(t *testing.T) {
		f := newFixture(t, browserConfig(t), nil)
		f.oauth.QueueLogin(loginTokens(), nil)
		f.api.SetMe(newCred, domain.RegionUS, buildMe(t, "w@example.com", twoProjects...))
		var offered []domain.ProjectID
		res, err := f.app.Accounts.Login(ctx, "web", app.LoginOptions{PickProject: func(ps []domain.Project) (domain.ProjectID, error) {
			for _, p := range ps {
				offered = append(offered, p.ID)
			}
			return "111", nil
		}})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(offered, []domain.ProjectID{"111", "100"}) {
			t.Fatalf("picker offered %v", offered)
		}
		if res.Project == nil || *res.Project != (app.LoginProject{ID: "111", Name: "Apps"}) {
			t.Fatalf("project = %+v", res.Project)
		}
	})

	t.Run("a set default project is kept", func(t *testing.T) {
		cfg := mustConfig(t, domain.ConfigData{Accounts: []domain.Account{{Name: "web", Type: domain.TypeOAuthBrowser, Region: domain.RegionUS, DefaultProject: "111"}}})
		f := newFixture(t, cfg, nil)
		f.oauth.QueueLogin(loginTokens(), nil)
		f.api.SetMe(newCred, domain.RegionUS, buildMe(t, "w@example.com", twoProjects...))
		picked := false
		res, err := f.app.Accounts.Login(ctx, "web", app.LoginOptions{PickProject: func([]domain.Project) (domain.ProjectID, error) {
			picked = true
			return "100", nil
		}})
		if err != nil {
			t.Fatal(err)
		}
		if picked || res.Project.ID != "111" {
			t.Fatalf("project = %+v, picker asked: %v", res.Project, picked)
		}
	})

	t.Run("/me failure persists nothing", func(t *testing.T) {
		f := newFixture(t, browserConfig(t), nil)
		f.oauth.QueueLogin(loginTokens(), nil)
		before := f.load(t).Data()
		_, err := f.app.Accounts.Login(ctx, "web", app.LoginOptions{})
		wantCode(t, err, domain.CodeAuthFailed)
		nothingPersisted(t, f, "web", before)
	})

	t.Run("region mismatch persists nothing", func(t *testing.T) {
		f := newFixture(t, browserConfig(t), nil)
		f.oauth.QueueLogin(loginTokens(), nil)
		f.api.SetMe(newCred, domain.RegionUS, buildMe(t, "w@example.com", meProject{ID: "5", Name: "Euro", Domain: "eu.mixpanel.com"}))
		before := f.load(t).Data()
		_, err := f.app.Accounts.Login(ctx, "web", app.LoginOptions{})
		e := wantCode(t, err, domain.CodeInvalidArgument)
		if !strings.Contains(e.Message, "region eu") || !strings.Contains(e.Hint, "--region eu") {
			t.Fatalf("error = %v, hint %q", e, e.Hint)
		}
		nothingPersisted(t, f, "web", before)
	})

	t.Run("a flow error persists nothing", func(t *testing.T) {
		f := newFixture(t, browserConfig(t), nil)
		f.oauth.QueueLogin(domain.Tokens{}, domain.NewError(domain.CodeOAuthAuthDenied, "the user denied access"))
		before := f.load(t).Data()
		_, err := f.app.Accounts.Login(ctx, "web", app.LoginOptions{})
		wantCode(t, err, domain.CodeOAuthAuthDenied)
		nothingPersisted(t, f, "web", before)
		if n := f.api.Count(""); n != 0 {
			t.Fatalf("%d API calls after a failed login", n)
		}
	})

	t.Run("other types and unknown accounts", func(t *testing.T) {
		f := newFixture(t, browserConfig(t), nil)
		for name, code := range map[domain.AccountName]domain.Code{
			"alpha": domain.CodeInvalidArgument, "tok": domain.CodeInvalidArgument, "nope": domain.CodeAccountNotFound,
		} {
			_, err := f.app.Accounts.Login(ctx, name, app.LoginOptions{})
			e := wantCode(t, err, code)
			if code == domain.CodeInvalidArgument && (!strings.Contains(e.Message, "only oauth_browser") || e.Hint == "") {
				t.Errorf("%s: error = %v, hint %q", name, e, e.Hint)
			}
		}
		if n := f.oauth.LoginCalls(); n != 0 {
			t.Fatalf("%d OAuth logins for refused accounts", n)
		}
	})
}

// refreshFixture is a fixture whose account "web" holds tokens that
// expired at t0 (or expire at exp).
func refreshFixture(t *testing.T, exp time.Time) *fixture {
	t.Helper()
	f := newFixture(t, browserConfig(t), nil)
	if err := f.tokens.Save(context.Background(), "web", oldTokens(exp)); err != nil {
		t.Fatal(err)
	}
	return f
}

func TestTokenFreshIsNotRefreshed(t *testing.T) {
	f := refreshFixture(t, t0.Add(domain.ExpirySkew+time.Second))
	tok, err := f.app.Accounts.Token(context.Background(), domain.Selection{}, "web")
	if err != nil || tok.Reveal() != oldAccess {
		t.Fatalf("Token = %v, %v", tok, err)
	}
	if n := f.oauth.RefreshCalls(); n != 0 {
		t.Fatalf("%d refreshes of a fresh token", n)
	}
}

// TestTokensWithoutClientIDAreUsable: the Python tool writes tokens.json
// without client_id; such tokens are used as they are (a refresh then
// falls back to the region's cached client, in the OAuth adapter).
func TestTokensWithoutClientIDAreUsable(t *testing.T) {
	f := newFixture(t, browserConfig(t), nil)
	tok := oldTokens(t0.Add(time.Hour))
	tok.ClientID = ""
	if err := f.tokens.Save(context.Background(), "web", tok); err != nil {
		t.Fatal(err)
	}
	got, err := f.app.Accounts.Token(context.Background(), domain.Selection{}, "web")
	if err != nil || got.Reveal() != oldAccess {
		t.Fatalf("Token = %v, %v; want the stored access token", got, err)
	}
}

func TestTokenRefreshSingleFlight(t *testing.T) {
	ctx := context.Background()
	f := refreshFixture(t, t0.Add(domain.ExpirySkew)) // expired: inside the skew
	started := make(chan struct{})
	release := make(chan struct{})
	var once sync.Once
	f.oauth.OnRefresh(func(ctx context.Context, r domain.Region, old domain.Tokens) (domain.Tokens, error) {
		once.Do(func() { close(started) })
		<-release
		// No refresh_token in the answer: the old one must be kept.
		return domain.Tokens{AccessToken: domain.NewSecret(newAccess), ExpiresAt: expiry}, nil
	})
	const n = 8
	var wg sync.WaitGroup
	got := make([]string, n)
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			tok, err := f.app.Accounts.Token(ctx, domain.Selection{}, "web")
			got[i], errs[i] = tok.Reveal(), err
		})
	}
	select {
	case <-started:
	case <-time.After(10 * time.Second):
		close(release)
		t.Fatal("no refresh started within 10 s")
	}
	close(release)
	wg.Wait()
	for i := range n {
		if errs[i] != nil || got[i] != newAccess {
			t.Fatalf("goroutine %d: Token = %q, %v", i, got[i], errs[i])
		}
	}
	if c := f.oauth.RefreshCalls(); c != 1 {
		t.Fatalf("%d refresh calls for %d concurrent Token calls, want exactly 1", c, n)
	}
	req := f.oauth.RefreshRequests()[0]
	if req.Region != domain.RegionUS || req.Tokens.RefreshToken.Reveal() != oldRefresh || req.Tokens.ClientID != "client-1" {
		t.Fatalf("refresh request = %+v", req)
	}
	stored, _, _ := f.tokens.Load(ctx, "web")
	want := domain.Tokens{
		AccessToken: domain.NewSecret(newAccess), RefreshToken: domain.NewSecret(oldRefresh),
		ExpiresAt: expiry, TokenType: "Bearer", Scope: "projects", ClientID: "client-1",
	}
	if !reflect.DeepEqual(stored, want) {
		t.Fatalf("stored after refresh = %+v\nwant %+v (old refresh token, client id, type and scope kept)", stored, want)
	}
}

func TestTokenRefreshRotates(t *testing.T) {
	ctx := context.Background()
	f := refreshFixture(t, t0.Add(-time.Minute))
	f.oauth.QueueRefresh(domain.Tokens{AccessToken: domain.NewSecret(newAccess), RefreshToken: domain.NewSecret(newRefresh), ExpiresAt: expiry}, nil)
	if _, err := f.app.Accounts.Token(ctx, domain.Selection{}, "web"); err != nil {
		t.Fatal(err)
	}
	stored, _, _ := f.tokens.Load(ctx, "web")
	if stored.RefreshToken.Reveal() != newRefresh {
		t.Fatal("the rotated refresh token was not stored")
	}
	// The next process reads it and needs no refresh.
	second := f.newApp(nil)
	if tok, err := second.Accounts.Token(ctx, domain.Selection{}, "web"); err != nil || tok.Reveal() != newAccess {
		t.Fatalf("second process: %v, %v", tok, err)
	}
	if c := f.oauth.RefreshCalls(); c != 1 {
		t.Fatalf("%d refreshes, want 1", c)
	}
}

// otherProcessStore is a token store where another process refreshes the
// tokens while this one waits for the refresh lock.
type otherProcessStore struct {
	*inmem.TokenStore
	locks int
}

// LockRefresh first lets the "other process" save fresh tokens.
func (s *otherProcessStore) LockRefresh(ctx context.Context, account domain.AccountName) (func(), error) {
	s.locks++
	fresh := loginTokens()
	fresh.AccessToken = domain.NewSecret(newAccess)
	if err := s.Save(ctx, account, fresh); err != nil {
		return nil, err
	}
	return s.TokenStore.LockRefresh(ctx, account)
}

func TestTokenAdoptsAnotherProcessRefresh(t *testing.T) {
	ctx := context.Background()
	f := refreshFixture(t, t0.Add(-time.Minute))
	store := &otherProcessStore{TokenStore: f.tokens}
	a := app.New(app.Deps{Config: f.store, Storage: f.storage, API: f.api, Me: f.me, Clock: f.clock, Tokens: store, OAuth: f.oauth})
	tok, err := a.Accounts.Token(ctx, domain.Selection{}, "web")
	if err != nil || tok.Reveal() != newAccess {
		t.Fatalf("Token = %v, %v; want the other process's token", tok, err)
	}
	if store.locks != 1 {
		t.Fatalf("lock taken %d times, want 1", store.locks)
	}
	if c := f.oauth.RefreshCalls(); c != 0 {
		t.Fatalf("%d refresh calls; the token another process refreshed must be adopted", c)
	}
}

func TestTokenRefreshFailuresLeaveTokens(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name string
		err  error
		code domain.Code
		hint string
	}{
		{"revoked", domain.NewError(domain.CodeOAuthRefreshRevoked, "the refresh token was revoked (invalid_grant)"), domain.CodeOAuthRefreshRevoked, "mp account login web"},
		{"503", domain.NewError(domain.CodeOAuthRefreshError, "the token endpoint answered 503").WithDetail("retryable", true), domain.CodeOAuthRefreshError, ""},
		{"network", domain.NewError(domain.CodeNetworkUnreachable, "cannot reach mixpanel.com"), domain.CodeNetworkUnreachable, ""},
		{"plain error", errors.New("boom"), domain.CodeOAuthRefreshError, "try again"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := refreshFixture(t, t0.Add(-time.Minute))
			f.oauth.QueueRefresh(domain.Tokens{}, tt.err)
			before, _, _ := f.tokens.Load(ctx, "web")
			_, savesBefore, deletesBefore := f.tokens.Counts()
			_, err := f.app.Accounts.Token(ctx, domain.Selection{}, "web")
			e := wantCode(t, err, tt.code)
			if tt.hint != "" && e.Hint != tt.hint {
				t.Fatalf("hint = %q, want %q", e.Hint, tt.hint)
			}
			if e.Details["account"] != "web" {
				t.Fatalf("details = %v, want the account", e.Details)
			}
			after, ok, _ := f.tokens.Load(ctx, "web")
			_, saves, deletes := f.tokens.Counts()
			if !ok || !reflect.DeepEqual(after, before) || saves != savesBefore || deletes != deletesBefore {
				t.Fatalf("tokens touched: %+v (saves %d→%d, deletes %d→%d)", after, savesBefore, saves, deletesBefore, deletes)
			}
			// The same failure reaches a project list.
			_, err = f.app.Projects.List(ctx, domain.Selection{Account: "web"}, true)
			if err == nil {
				t.Fatal("Projects.List succeeded with unusable tokens")
			}
		})
	}
}

func TestTokenRefreshLockBusy(t *testing.T) {
	ctx := context.Background()
	f := refreshFixture(t, t0.Add(-time.Minute))
	unlock, err := f.tokens.LockRefresh(ctx, "web") // another process holds it
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	a := app.New(app.Deps{Config: f.store, Storage: f.storage, API: f.api, Me: f.me, Clock: f.clock, Tokens: f.tokens, OAuth: f.oauth, RefreshLockWait: 20 * time.Millisecond})
	_, err = a.Accounts.Token(ctx, domain.Selection{}, "web")
	e := wantCode(t, err, domain.CodeOAuthRefreshError)
	if e.Details["retryable"] != true || !strings.Contains(e.Message, "another mp is refreshing") || e.Details["account"] != "web" {
		t.Fatalf("error = %v, details %v", e, e.Details)
	}
	if c := f.oauth.RefreshCalls(); c != 0 {
		t.Fatal("refreshed without the lock")
	}

	// A cancelled context is reported as such, not as busy.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	_, err = a.Accounts.Token(cctx, domain.Selection{}, "web")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
}

func TestTokenErrors(t *testing.T) {
	ctx := context.Background()
	t.Run("no tokens", func(t *testing.T) {
		f := newFixture(t, browserConfig(t), nil)
		_, err := f.app.Accounts.Token(ctx, domain.Selection{}, "web")
		e := wantCode(t, err, domain.CodeOAuthTokenError)
		if e.Hint != "mp account login web" {
			t.Fatalf("hint = %q", e.Hint)
		}
	})
	t.Run("expired without a refresh token", func(t *testing.T) {
		f := newFixture(t, browserConfig(t), nil)
		tok := oldTokens(t0.Add(-time.Minute))
		tok.RefreshToken = domain.Secret{}
		_ = f.tokens.Save(ctx, "web", tok)
		_, err := f.app.Accounts.Token(ctx, domain.Selection{}, "web")
		e := wantCode(t, err, domain.CodeOAuthTokenError)
		if e.Hint != "mp account login web" || f.oauth.RefreshCalls() != 0 {
			t.Fatalf("hint = %q, refreshes %d", e.Hint, f.oauth.RefreshCalls())
		}
	})
	t.Run("service account", func(t *testing.T) {
		f := newFixture(t, browserConfig(t), nil)
		_, err := f.app.Accounts.Token(ctx, domain.Selection{}, "alpha")
		e := wantCode(t, err, domain.CodeConfigError)
		if !strings.Contains(e.Message, "service accounts use Basic auth; no bearer") {
			t.Fatalf("message = %q", e.Message)
		}
	})
	t.Run("unknown account", func(t *testing.T) {
		f := newFixture(t, browserConfig(t), nil)
		_, err := f.app.Accounts.Token(ctx, domain.Selection{}, "nope")
		wantCode(t, err, domain.CodeAccountNotFound)
	})
	t.Run("resolved account", func(t *testing.T) {
		f := refreshFixture(t, expiry)
		tok, err := f.app.Accounts.Token(ctx, domain.Selection{Account: "web"}, "")
		if err != nil || tok.Reveal() != oldAccess {
			t.Fatalf("Token = %v, %v", tok, err)
		}
	})
}

func TestTokenEnvAtCallTime(t *testing.T) {
	ctx := context.Background()
	env := inmem.Env{}
	f := newFixture(t, browserConfig(t), env)
	_, err := f.app.Accounts.Token(ctx, domain.Selection{}, "tok")
	e := wantCode(t, err, domain.CodeConfigError)
	if !strings.Contains(e.Message, "$TOK") {
		t.Fatalf("error = %v", e)
	}
	env["TOK"] = envToken
	tok, err := f.app.Accounts.Token(ctx, domain.Selection{}, "tok")
	if err != nil || tok.Reveal() != envToken {
		t.Fatalf("Token = %v, %v", tok, err)
	}
	env["TOK"] = tokSecret
	if tok, _ := f.app.Accounts.Token(ctx, domain.Selection{}, "tok"); tok.Reveal() != tokSecret {
		t.Fatal("token_env was not read again")
	}
	tt, err := f.app.Accounts.Tokens(ctx, domain.Selection{}, "tok")
	if err != nil || !tt.ExpiresAt.IsZero() || tt.TokenType != "Bearer" {
		t.Fatalf("Tokens = %+v, %v", tt, err)
	}
}

func TestLogout(t *testing.T) {
	ctx := context.Background()
	f := refreshFixture(t, expiry)
	res, err := f.app.Accounts.Logout(ctx, "web")
	if err != nil || res != (app.LogoutResult{Account: "web", Removed: true}) {
		t.Fatalf("Logout = %+v, %v", res, err)
	}
	if f.tokens.Has("web") {
		t.Fatal("tokens still stored")
	}
	res, err = f.app.Accounts.Logout(ctx, "web")
	if err != nil || res.Removed {
		t.Fatalf("second Logout = %+v, %v", res, err)
	}
	_, err = f.app.Accounts.Logout(ctx, "alpha")
	wantCode(t, err, domain.CodeInvalidArgument)
	_, err = f.app.Accounts.Logout(ctx, "nope")
	wantCode(t, err, domain.CodeAccountNotFound)
	if _, err := f.app.Accounts.Token(ctx, domain.Selection{}, "web"); domain.CodeOf(err) != domain.CodeOAuthTokenError {
		t.Fatalf("Token after logout: %v", err)
	}
}

// orgMe builds a /me answer for user id of organisation 7 named org, with
// projects.
func orgMe(t *testing.T, id int64, email, org string, projects ...meProject) domain.Me {
	t.Helper()
	ps := map[string]any{}
	for _, p := range projects {
		dom := p.Domain
		if dom == "" {
			dom = "mixpanel.com"
		}
		ps[p.ID] = map[string]any{"name": p.Name, "organization_id": 7, "timezone": "UTC", "domain": dom}
	}
	b, err := json.Marshal(map[string]any{
		"user_id": id, "user_email": email,
		"organizations": map[string]any{"7": map[string]any{"id": 7, "name": org}},
		"projects":      ps,
	})
	if err != nil {
		t.Fatal(err)
	}
	me, err := domain.ParseMe(b)
	if err != nil {
		t.Fatal(err)
	}
	return me
}

func TestLoginAny(t *testing.T) {
	ctx := context.Background()
	saCred := domain.BasicCredential("svc", domain.NewSecret(saSecret))
	one := meProject{ID: "300", Name: "Shop"}

	t.Run("service account: region probed, name from the organisation, collision suffix, active", func(t *testing.T) {
		cfg := mustConfig(t, domain.ConfigData{
			Accounts: []domain.Account{{Name: "societe-generale", Type: domain.TypeOAuthToken, Region: domain.RegionEU, TokenEnv: "X"}, sa("alpha", "100")},
			Active:   domain.Active{Account: "alpha", Workspace: 5},
		})
		f := newFixture(t, cfg, nil)
		cs := &countingStore{ConfigStore: f.store}
		f.store = cs.ConfigStore
		f.api.SetMe(saCred, domain.RegionEU, orgMe(t, 9, "svc@example.com", "Société Générale", meProject{ID: "300", Name: "Shop", Domain: "eu.mixpanel.com"}))
		a := app.New(app.Deps{Config: cs, Storage: f.storage, Env: f.env, API: f.api, Me: f.me, Clock: f.clock, Tokens: f.tokens, OAuth: f.oauth})
		var probed []domain.Region
		res, err := a.Accounts.LoginAny(ctx, app.LoginInput{
			Type: domain.TypeServiceAccount, Username: "svc", Secret: domain.NewSecret(saSecret),
			Progress: func(r domain.Region) { probed = append(probed, r) },
		})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(res)
		want := `{"account":"societe-generale-2","type":"service_account","region":"eu","user":{"id":9,"email":"svc@example.com"},` +
			`"project":{"id":"300","name":"Shop"},"expires_at":null,"created":true,"active":true}`
		if string(b) != want {
			t.Fatalf("result =\n%s\nwant\n%s", b, want)
		}
		if !reflect.DeepEqual(probed, []domain.Region{"us", "eu"}) {
			t.Fatalf("probed %v", probed)
		}
		if n := cs.updates.Load(); n != 1 {
			t.Fatalf("%d config transactions, want 1", n)
		}
		got := f.load(t)
		acct, _ := got.Account("societe-generale-2")
		if acct.Username != "svc" || acct.Secret.Reveal() != saSecret || acct.DefaultProject != "300" || acct.Region != domain.RegionEU {
			t.Fatalf("stored account = %+v", acct)
		}
		if got.Active() != (domain.Active{Account: "societe-generale-2"}) {
			t.Fatalf("active = %+v (workspace must be cleared)", got.Active())
		}
		if !f.me.Has("societe-generale-2") || f.tokens.Has("societe-generale-2") {
			t.Fatal("want /me cached and no tokens for a service account")
		}
	})

	t.Run("service account again without a name: re-login of the same username", func(t *testing.T) {
		cfg := mustConfig(t, domain.ConfigData{Accounts: []domain.Account{
			{Name: "mine", Type: domain.TypeServiceAccount, Region: domain.RegionUS, Username: "svc", Secret: domain.NewSecret("stale-secret"), DefaultProject: "300"},
		}, Active: domain.Active{Account: "mine", Workspace: 5}})
		f := newFixture(t, cfg, nil)
		f.api.SetMe(saCred, domain.RegionUS, orgMe(t, 9, "svc@example.com", "Acme", one, meProject{ID: "301", Name: "Other"}))
		res, err := f.app.Accounts.LoginAny(ctx, app.LoginInput{ServiceAccount: true, Username: "svc", Secret: domain.NewSecret(saSecret), Region: "us"})
		if err != nil {
			t.Fatal(err)
		}
		if res.Account != "mine" || res.Created || res.Project.ID != "300" {
			t.Fatalf("result = %+v", res)
		}
		got := f.load(t)
		if a, _ := got.Account("mine"); a.Secret.Reveal() != saSecret {
			t.Fatal("the secret was not updated")
		}
		if got.Active() != (domain.Active{Account: "mine", Workspace: 5}) {
			t.Fatalf("active = %+v: re-login of the active account with its project must keep the workspace", got.Active())
		}
	})

	t.Run("static token via token_env, given region", func(t *testing.T) {
		env := inmem.Env{"MY_TOKEN": envToken}
		f := newFixture(t, domain.Config{}, env)
		f.api.SetMe(domain.BearerCredential(domain.NewSecret(envToken)), domain.RegionIN, orgMe(t, 3, "t@example.com", "", meProject{ID: "1", Name: "Solo", Domain: "in.mixpanel.com"}))
		res, err := f.app.Accounts.LoginAny(ctx, app.LoginInput{TokenEnv: "MY_TOKEN", Region: "in"})
		if err != nil {
			t.Fatal(err)
		}
		if res.Account != "org-7" || res.Type != "oauth_token" || !res.Created || !res.Active {
			t.Fatalf("result = %+v", res)
		}
		a, _ := f.load(t).Account("org-7")
		if a.TokenEnv != "MY_TOKEN" || !a.Token.IsZero() {
			t.Fatalf("stored = %+v: the token value must never be stored", a)
		}
		if f.api.Count(inmem.EndpointMe) != 1 {
			t.Fatal("a given region must not be probed")
		}
	})

	t.Run("token_env unset", func(t *testing.T) {
		f := newFixture(t, domain.Config{}, nil)
		_, err := f.app.Accounts.LoginAny(ctx, app.LoginInput{Type: domain.TypeOAuthToken, TokenEnv: "MP_OAUTH_TOKEN"})
		e := wantCode(t, err, domain.CodeInvalidArgument)
		if !strings.Contains(e.Message, "$MP_OAUTH_TOKEN is not set") {
			t.Fatalf("error = %v", e)
		}
	})

	t.Run("browser: us by default, re-login of the same /me user", func(t *testing.T) {
		f := newFixture(t, browserConfig(t), nil)
		// "web" was logged in before by user 42.
		_ = f.me.Put(ctx, "web", domain.CachedMe{Me: orgMe(t, 42, "w@example.com", "Acme", one), CachedAt: t0.Add(-48 * time.Hour)})
		f.oauth.QueueLogin(loginTokens(), nil)
		f.api.SetMe(newCred, domain.RegionUS, orgMe(t, 42, "w@example.com", "Acme", one))
		res, err := f.app.Accounts.LoginAny(ctx, app.LoginInput{})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(res)
		want := `{"account":"web","type":"oauth_browser","region":"us","user":{"id":42,"email":"w@example.com"},` +
			`"project":{"id":"300","name":"Shop"},"expires_at":"2026-04-01T11:00:00Z","created":false,"active":true}`
		if string(b) != want {
			t.Fatalf("result =\n%s\nwant\n%s", b, want)
		}
		if reqs := f.oauth.LoginRequests(); len(reqs) != 1 || reqs[0].Region != domain.RegionUS {
			t.Fatalf("login requests %+v", reqs)
		}
		if got, _, _ := f.tokens.Load(ctx, "web"); got.AccessToken.Reveal() != newAccess {
			t.Fatal("tokens not saved")
		}
		if f.load(t).Active() != (domain.Active{Account: "web"}) {
			t.Fatalf("active = %+v", f.load(t).Active())
		}
	})

	t.Run("browser: another user gets a new account", func(t *testing.T) {
		f := newFixture(t, browserConfig(t), nil)
		_ = f.me.Put(ctx, "web", domain.CachedMe{Me: orgMe(t, 41, "x@example.com", "Acme", one), CachedAt: t0})
		f.oauth.QueueLogin(loginTokens(), nil)
		f.api.SetMe(newCred, domain.RegionUS, orgMe(t, 42, "w@example.com", "Acme", one))
		res, err := f.app.Accounts.LoginAny(ctx, app.LoginInput{})
		if err != nil {
			t.Fatal(err)
		}
		if res.Account != "acme" || !res.Created {
			t.Fatalf("result = %+v", res)
		}
		if !f.tokens.Has("acme") || f.tokens.Has("web") {
			t.Fatal("tokens saved under the wrong account")
		}
	})

	t.Run("named re-login cannot change type or region", func(t *testing.T) {
		for _, in := range []app.LoginInput{
			{Name: "alpha", TokenEnv: "TOK"},
			{Name: "alpha", ServiceAccount: true, Username: "user-alpha", Secret: domain.NewSecret(saSecret), Region: "eu"},
			{Name: "web", Region: "eu"},
		} {
			f := newFixture(t, browserConfig(t), inmem.Env{"TOK": envToken})
			before := f.load(t).Data()
			_, err := f.app.Accounts.LoginAny(ctx, in)
			e := wantCode(t, err, domain.CodeInvalidArgument)
			if !strings.Contains(e.Hint, "remove it first: mp account remove "+string(in.Name)) {
				t.Errorf("%+v: hint = %q", in, e.Hint)
			}
			if f.api.Count("") != 0 || f.oauth.LoginCalls() != 0 {
				t.Errorf("%+v: network used before refusing", in)
			}
			nothingPersisted(t, f, in.Name, before)
		}
	})

	t.Run("named re-login keeps the region when none is given", func(t *testing.T) {
		f := newFixture(t, browserConfig(t), nil)
		f.api.SetMe(alphaCred, domain.RegionUS, orgMe(t, 1, "a@example.com", "Acme", meProject{ID: "100", Name: "Zoo"}, meProject{ID: "101", Name: "Yak"}))
		res, err := f.app.Accounts.LoginAny(ctx, app.LoginInput{Name: "alpha", Username: "user-alpha", Secret: domain.NewSecret(saSecret)})
		if err != nil {
			t.Fatal(err)
		}
		if res.Account != "alpha" || res.Created || res.Region != "us" || res.Project.ID != "100" {
			t.Fatalf("result = %+v", res)
		}
	})

	t.Run("projects", func(t *testing.T) {
		two := []meProject{{ID: "300", Name: "Shop"}, {ID: "200", Name: "Blog"}}
		for _, tt := range []struct {
			name    string
			env     inmem.Env
			project domain.ProjectID
			pick    func([]domain.Project) (domain.ProjectID, error)
			want    domain.ProjectID
			code    domain.Code
			mention []string
		}{
			{name: "--project visible", project: "200", want: "200"},
			{name: "--project not visible", project: "999", code: domain.CodeProjectNotFound, mention: []string{"999", "200 (Blog)", "300 (Shop)"}},
			{name: "MP_PROJECT_ID visible", env: inmem.Env{"MP_PROJECT_ID": "300"}, want: "300"},
			{name: "MP_PROJECT_ID not visible", env: inmem.Env{"MP_PROJECT_ID": "5"}, code: domain.CodeProjectNotFound, mention: []string{"MP_PROJECT_ID", "200 (Blog)"}},
			{name: "MP_PROJECT_ID invalid", env: inmem.Env{"MP_PROJECT_ID": "abc"}, code: domain.CodeInvalidArgument, mention: []string{"MP_PROJECT_ID"}},
			{name: "--project beats MP_PROJECT_ID", env: inmem.Env{"MP_PROJECT_ID": "300"}, project: "200", want: "200"},
			{name: "picker", pick: func([]domain.Project) (domain.ProjectID, error) { return "300", nil }, want: "300"},
			{name: "picker error", pick: func([]domain.Project) (domain.ProjectID, error) { return "", errors.New("interrupted") }},
			{name: "no picker lists the projects", code: domain.CodeInvalidArgument, mention: []string{"200 (Blog)", "300 (Shop)", "--project"}},
		} {
			t.Run(tt.name, func(t *testing.T) {
				env := tt.env
				if env == nil {
					env = inmem.Env{}
				}
				f := newFixture(t, domain.Config{}, env)
				f.api.SetMe(saCred, domain.RegionUS, orgMe(t, 9, "svc@example.com", "Acme", two...))
				res, err := f.app.Accounts.LoginAny(ctx, app.LoginInput{
					ServiceAccount: true, Username: "svc", Secret: domain.NewSecret(saSecret), Region: "us", Project: tt.project,
					Options: app.LoginOptions{PickProject: tt.pick},
				})
				if tt.want != "" {
					if err != nil || res.Project == nil || res.Project.ID != string(tt.want) {
						t.Fatalf("LoginAny = %+v, %v; want project %s", res, err, tt.want)
					}
					return
				}
				if err == nil {
					t.Fatal("LoginAny succeeded")
				}
				if tt.code != "" {
					e := wantCode(t, err, tt.code)
					all := e.Message + " " + e.Hint
					for _, m := range tt.mention {
						if !strings.Contains(all, m) {
							t.Errorf("error %q (hint %q) does not mention %q", e.Message, e.Hint, m)
						}
					}
				}
				nothingPersisted(t, f, "acme", f.load(t).Data())
				if n := len(f.load(t).Accounts()); n != 0 {
					t.Fatalf("%d accounts added", n)
				}
			})
		}
	})

	t.Run("region cross-check persists nothing", func(t *testing.T) {
		f := newFixture(t, domain.Config{}, nil)
		f.oauth.QueueLogin(loginTokens(), nil)
		f.api.SetMe(newCred, domain.RegionUS, orgMe(t, 42, "w@example.com", "Acme", meProject{ID: "1", Name: "Euro", Domain: "eu.mixpanel.com"}))
		_, err := f.app.Accounts.LoginAny(ctx, app.LoginInput{Type: domain.TypeOAuthBrowser})
		e := wantCode(t, err, domain.CodeInvalidArgument)
		if e.Hint != "log in with --region eu" {
			t.Fatalf("hint = %q", e.Hint)
		}
		nothingPersisted(t, f, "acme", f.load(t).Data())
		if n := len(f.load(t).Accounts()); n != 0 {
			t.Fatalf("%d accounts added", n)
		}
	})

	t.Run("every region refuses", func(t *testing.T) {
		f := newFixture(t, domain.Config{}, nil)
		_, err := f.app.Accounts.LoginAny(ctx, app.LoginInput{ServiceAccount: true, Username: "svc", Secret: domain.NewSecret("wrong")})
		e := wantCode(t, err, domain.CodeRegionProbeFailed)
		if !strings.Contains(e.Message, "us, eu, in") {
			t.Fatalf("error = %v", e)
		}
	})

	t.Run("wrong credentials in a given region", func(t *testing.T) {
		f := newFixture(t, domain.Config{}, nil)
		_, err := f.app.Accounts.LoginAny(ctx, app.LoginInput{ServiceAccount: true, Username: "svc", Secret: domain.NewSecret(saSecret), Region: "in"})
		e := wantCode(t, err, domain.CodeAuthFailed)
		if !strings.Contains(e.Message, "service account svc") || !strings.Contains(e.Message, "region in") || e.Hint == "" {
			t.Fatalf("error = %v, hint %q", e, e.Hint)
		}
	})

	t.Run("input checks", func(t *testing.T) {
		f := newFixture(t, domain.Config{}, nil)
		for _, in := range []app.LoginInput{
			{ServiceAccount: true, Username: "svc"},
			{ServiceAccount: true, Secret: domain.NewSecret(saSecret)},
			{Type: domain.TypeOAuthToken, TokenEnv: "not valid"},
			{Type: domain.TypeOAuthBrowser, Username: "x"},
			{Name: "bad name"},
			{Name: "env-service-account"},
			{Region: "mars"},
			{Project: "abc"},
			{Type: "weird"},
		} {
			_, err := f.app.Accounts.LoginAny(ctx, in)
			wantCode(t, err, domain.CodeInvalidArgument)
		}
		if f.api.Count("") != 0 || f.oauth.LoginCalls() != 0 {
			t.Fatal("network used for invalid input")
		}
	})
}

func TestLoginTypeDetection(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		in   app.LoginInput
		want string
	}{
		{app.LoginInput{Username: "svc", Secret: domain.NewSecret(saSecret), Region: "us"}, "service_account"},
		{app.LoginInput{TokenEnv: "TOK", Region: "us"}, "oauth_token"},
		{app.LoginInput{Region: "us"}, "oauth_browser"},
	} {
		f := newFixture(t, domain.Config{}, inmem.Env{"TOK": envToken})
		me := orgMe(t, 1, "x@example.com", "Acme", meProject{ID: "1", Name: "P"})
		f.api.SetMe(domain.BasicCredential("svc", domain.NewSecret(saSecret)), domain.RegionUS, me)
		f.api.SetMe(domain.BearerCredential(domain.NewSecret(envToken)), domain.RegionUS, me)
		f.api.SetMe(newCred, domain.RegionUS, me)
		f.oauth.QueueLogin(loginTokens(), nil)
		res, err := f.app.Accounts.LoginAny(ctx, tt.in)
		if err != nil || res.Type != tt.want {
			t.Errorf("%+v: LoginAny = %+v, %v; want type %s", tt.in, res, err, tt.want)
		}
	}
}

// TestOAuthLeaksNoSecret runs the OAuth use cases, failing and succeeding,
// and scans every result, error and log line for the seeded secrets.
func TestOAuthLeaksNoSecret(t *testing.T) {
	ctx := context.Background()
	f := refreshFixture(t, t0.Add(-time.Minute))
	f.env["TOK"] = envToken
	f.oauth.QueueRefresh(domain.Tokens{}, domain.NewError(domain.CodeOAuthRefreshRevoked, "revoked"))
	f.oauth.QueueRefresh(domain.Tokens{AccessToken: domain.NewSecret(newAccess), RefreshToken: domain.NewSecret(newRefresh), ExpiresAt: expiry}, nil)
	f.oauth.QueueLogin(loginTokens(), nil)
	f.oauth.QueueLogin(loginTokens(), nil)
	f.api.SetMe(newCred, domain.RegionUS, orgMe(t, 42, "w@example.com", "Acme", meProject{ID: "1", Name: "P"}))
	var results []any
	var errs []error
	record := func(v any, err error) {
		results = append(results, v)
		if err != nil {
			errs = append(errs, err)
		}
	}
	record(f.app.Accounts.Token(ctx, domain.Selection{}, "web"))
	record(f.app.Accounts.Token(ctx, domain.Selection{}, "web"))
	record(f.app.Accounts.Tokens(ctx, domain.Selection{}, "web"))
	record(f.app.Accounts.Token(ctx, domain.Selection{}, "tok"))
	record(f.app.Accounts.Token(ctx, domain.Selection{}, "alpha"))
	record(f.app.Accounts.Login(ctx, "web", app.LoginOptions{}))
	record(f.app.Accounts.LoginAny(ctx, app.LoginInput{}))
	record(f.app.Accounts.LoginAny(ctx, app.LoginInput{ServiceAccount: true, Username: "svc", Secret: domain.NewSecret(saSecret), Region: "eu"}))
	record(f.app.Accounts.LoginAny(ctx, app.LoginInput{TokenEnv: "TOK", Region: "in"}))
	record(f.app.Accounts.Logout(ctx, "web"))
	record(f.app.Accounts.Token(ctx, domain.Selection{}, "web"))
	if len(errs) < 4 {
		t.Fatalf("only %d errors: the scan must cover failures", len(errs))
	}
	for i, v := range results {
		if _, ok := v.(domain.Secret); ok {
			v = fmt.Sprintf("%v", v) // a Secret's printable forms are redacted
		}
		if tk, ok := v.(domain.Tokens); ok {
			v = fmt.Sprintf("%+v %#v", tk, tk)
		}
		b, _ := json.Marshal(v)
		assertNoSecret(t, fmt.Sprintf("result %d", i), string(b)+fmt.Sprintf("%+v %#v", v, v))
	}
	for i, err := range errs {
		assertNoSecret(t, fmt.Sprintf("error %d", i), fmt.Sprintf("%v %+v %#v", err, err, err))
		var e *domain.Error
		if errors.As(err, &e) {
			d, _ := json.Marshal(e.Details)
			assertNoSecret(t, fmt.Sprintf("error %d details/hint", i), string(d)+e.Hint)
		}
	}
	entries := f.logs.All()
	if len(entries) == 0 {
		t.Fatal("no logs captured")
	}
	for i, e := range entries {
		assertNoSecret(t, fmt.Sprintf("log %d", i), fmt.Sprintf("%s %+v", e.Message, e.ContextMap()))
	}
}
