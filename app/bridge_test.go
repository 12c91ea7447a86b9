package app_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
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

// Bridge paths of the fixtures: the discovery candidates of the fake.
const (
	bridgeHome = "/home/u/.claude/mixpanel/auth.json"
	bridgeCwd  = "/work/mixpanel_auth.json"
	bridgeOut  = "/out/auth.json"
)

// bridgeFixture is a fixture whose App has a BridgeStore.
type bridgeFixture struct {
	*fixture
	bridges *inmem.BridgeStore
}

func newBridgeFixture(t *testing.T, cfg domain.Config, env inmem.Env) *bridgeFixture {
	t.Helper()
	f := newFixture(t, cfg, env)
	bf := &bridgeFixture{fixture: f, bridges: inmem.NewBridgeStore(bridgeHome, bridgeCwd)}
	bf.app = bf.newBridgeApp()
	return bf
}

// newBridgeApp builds another App over the same fakes (another process).
func (f *bridgeFixture) newBridgeApp() *app.App {
	return app.New(app.Deps{
		Config: f.store, Storage: f.storage, Env: f.env, Log: f.log,
		API: f.api, Me: f.me, Clock: f.clock, Tokens: f.tokens, OAuth: f.oauth, Bridges: f.bridges,
	})
}

// put writes b at path in the fake.
func (f *bridgeFixture) put(t *testing.T, path string, b domain.Bridge) {
	t.Helper()
	if err := f.bridges.Write(context.Background(), path, b); err != nil {
		t.Fatal(err)
	}
}

// waitOrFail waits for ch to be closed, failing the test after 10 s
// instead of hanging until the test binary's timeout.
func waitOrFail(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(10 * time.Second):
		t.Fatalf("gave up after 10 s waiting for %s", what)
	}
}

// browserBridge is an oauth_browser bridge of account "web" (the name of
// browserConfig's browser account), pinning project 500.
func browserBridge(exp time.Time) domain.Bridge {
	tok := oldTokens(exp)
	return domain.Bridge{
		Account: domain.Account{Name: "web", Type: domain.TypeOAuthBrowser, Region: domain.RegionUS},
		Tokens:  &tok, Project: "500",
		Headers: []domain.Header{{Name: "X-Bridge", Value: "vm"}},
	}
}

func TestBridgeOnlySession(t *testing.T) {
	ctx := context.Background()
	f := newBridgeFixture(t, domain.Config{}, nil)
	b := domain.Bridge{Account: sa("host", "100"), Project: "555", Workspace: 55, Headers: []domain.Header{{Name: "X-Team", Value: "red"}}}
	f.put(t, bridgeCwd, b)
	f.api.SetMe(alphaCredOf("host"), domain.RegionUS, buildMe(t, "host@example.com", meProject{ID: "555", Name: "Five", Workspaces: []meWorkspace{{ID: 55, Name: "WS"}}}))

	view, err := f.app.Sessions.Show(ctx, domain.Selection{}, true)
	if err != nil {
		t.Fatal(err)
	}
	if view.Account.Name != "host" || view.Account.Source != "bridge "+bridgeCwd || view.Project.ID != "555" ||
		view.Workspace == nil || view.Workspace.ID != 55 || view.Bridge == nil || view.Bridge.Path != bridgeCwd || view.Bridge.Account != nil {
		t.Fatalf("Show = %+v (bridge %+v)", view, view.Bridge)
	}
	projects, err := f.app.Projects.List(ctx, domain.Selection{}, false)
	if err != nil || len(projects) != 1 || !projects[0].IsActive {
		t.Fatalf("Projects.List = %+v, %v", projects, err)
	}
	calls := f.api.Calls(inmem.EndpointMe)
	if len(calls) != 1 || fmt.Sprint(calls[0].Scope.Headers) != "[{X-Team red}]" {
		t.Fatalf("/me calls %+v: want one, with the bridge's header", calls)
	}
	if f.me.Has("host") {
		t.Fatal("the bridge account's /me answer was written to the host's disk cache")
	}
	// In memory: a second call does not reach Mixpanel.
	if _, err := f.app.Projects.List(ctx, domain.Selection{}, false); err != nil || f.api.Count(inmem.EndpointMe) != 1 {
		t.Fatalf("second List: %v, %d /me calls", err, f.api.Count(inmem.EndpointMe))
	}
	res, err := f.app.Query.Segmentation(ctx, domain.Selection{}, domain.SegmentationQuery{Event: "Login", From: "2026-04-01", To: "2026-04-02", Unit: "day"})
	if err != nil || res.Event != "Login" {
		t.Fatalf("Segmentation = %+v, %v", res, err)
	}
	seg := f.api.Calls(inmem.EndpointSegmentation)[0].Scope
	if seg.Project != "555" || seg.Workspace != 55 || !seg.Credential.Equal(alphaCredOf("host")) {
		t.Fatalf("segmentation scope %+v", seg)
	}

	// --bridge: the summary, without secrets.
	full, err := f.app.Sessions.ShowBridge(ctx, domain.Selection{}, false)
	if err != nil {
		t.Fatal(err)
	}
	want := &app.SessionBridge{
		Path: bridgeCwd, Account: &app.BridgeAccountView{Name: "host", Type: "service_account", Region: "us", DefaultProject: ptr("100")},
		Project: ptr("555"), Workspace: ptr(int64(55)), Headers: map[string]string{"X-Team": "red"},
	}
	if !reflect.DeepEqual(full.Bridge, want) {
		t.Fatalf("ShowBridge bridge = %+v, want %+v", full.Bridge, want)
	}
	assertNoSecret(t, "session view", fmt.Sprintf("%+v %+v", full, *full.Bridge))
}

// alphaCredOf is the Basic credential of sa(name, …).
func alphaCredOf(name string) domain.Credential {
	return domain.BasicCredential("user-"+name, domain.NewSecret(saSecret))
}

func TestShowBridgeWithoutBridge(t *testing.T) {
	f := newBridgeFixture(t, standardConfig(t), nil)
	_, err := f.app.Sessions.ShowBridge(context.Background(), domain.Selection{}, false)
	wantCode(t, err, domain.CodeConfigError)
	view, err := f.app.Sessions.Show(context.Background(), domain.Selection{}, false)
	if err != nil || view.Bridge != nil {
		t.Fatalf("Show without a bridge: bridge %+v, %v", view.Bridge, err)
	}
}

func TestBridgeUnsafeIsAnError(t *testing.T) {
	f := newBridgeFixture(t, standardConfig(t), nil)
	f.bridges.PutRaw(bridgeHome, []byte(`{"version":3}`))
	_, err := f.app.Projects.List(context.Background(), domain.Selection{}, false)
	e := wantCode(t, err, domain.CodeConfigError)
	if !strings.Contains(e.Error(), bridgeHome) {
		t.Fatalf("error does not name the bridge: %v", err)
	}
}

func TestBridgeBrowserRefreshWritesBackIntoBridge(t *testing.T) {
	ctx := t.Context()
	// The host config has a browser account of the same name, with its own
	// tokens: they must be neither read nor written.
	f := newBridgeFixture(t, browserConfig(t), nil)
	hostTokens := loginTokens()
	if err := f.tokens.Save(ctx, "web", hostTokens); err != nil {
		t.Fatal(err)
	}
	_, savesBefore, _ := f.tokens.Counts()
	f.put(t, bridgeHome, browserBridge(t0.Add(-time.Minute)))
	started, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	f.oauth.OnRefresh(func(ctx context.Context, r domain.Region, old domain.Tokens) (domain.Tokens, error) {
		once.Do(func() { close(started) })
		select {
		case <-release:
		case <-ctx.Done():
			return domain.Tokens{}, ctx.Err()
		}
		return domain.Tokens{AccessToken: domain.NewSecret("bridge-new-access-UNIQUE"), ExpiresAt: expiry}, nil
	})

	// --account web names the config's account (a config account wins);
	// the bridge's account is picked by the chain (no --account, no active
	// because the bridge beats [active]).
	const n = 6
	apps := []*app.App{f.app, f.newBridgeApp()}
	var wg sync.WaitGroup
	errs := make([]error, n)
	got := make([]string, n)
	for i := range n {
		wg.Go(func() {
			tok, err := apps[i%2].Accounts.Token(ctx, domain.Selection{}, "")
			got[i], errs[i] = tok.Reveal(), err
		})
	}
	waitOrFail(t, started, "a refresh to start")
	close(release)
	wg.Wait()
	for i := range n {
		if errs[i] != nil || got[i] != "bridge-new-access-UNIQUE" {
			t.Fatalf("call %d: %q, %v", i, got[i], errs[i])
		}
	}
	if c := f.oauth.RefreshCalls(); c != 1 {
		t.Fatalf("%d refreshes, want 1", c)
	}
	if req := f.oauth.RefreshRequests()[0]; req.Tokens.RefreshToken.Reveal() != oldRefresh {
		t.Fatalf("refreshed with %+v, want the bridge's refresh token", req.Tokens)
	}
	b, err := f.bridges.Load(ctx, bridgeHome)
	if err != nil {
		t.Fatal(err)
	}
	if b.Tokens.AccessToken.Reveal() != "bridge-new-access-UNIQUE" || b.Tokens.RefreshToken.Reveal() != oldRefresh || b.Project != "500" {
		t.Fatalf("bridge after refresh: %+v", b)
	}
	stored, ok, _ := f.tokens.Load(ctx, "web")
	if _, saves, _ := f.tokens.Counts(); !ok || saves != savesBefore || !reflect.DeepEqual(stored, hostTokens) {
		t.Fatalf("the host's tokens were touched: %+v (saves %d → %d)", stored, savesBefore, saves)
	}
	if _, tokenWrites := f.bridges.Counts(); tokenWrites != 1 {
		t.Fatalf("%d token write-backs, want 1", tokenWrites)
	}

	// --account web (the config's account) uses the host's tokens.
	tok, err := f.app.Accounts.Token(ctx, domain.Selection{}, "web")
	if err != nil || tok.Reveal() != newAccess {
		t.Fatalf("Token(web) = %q, %v; want the host's", tok.Reveal(), err)
	}
}

func TestBridgeAccountNamedExplicitly(t *testing.T) {
	ctx := context.Background()
	f := newBridgeFixture(t, standardConfig(t), nil)
	f.put(t, bridgeCwd, domain.Bridge{Account: tokenAccount("vmtok")})
	// The bridge beats [active]; --account alpha beats the bridge; and
	// --account vmtok (not in the config) names the bridge's account.
	for sel, want := range map[domain.AccountName]domain.AccountName{"": "vmtok", "alpha": "alpha", "vmtok": "vmtok"} {
		a, err := f.app.Accounts.Token(ctx, domain.Selection{Account: sel}, "")
		if sel == "alpha" {
			wantCode(t, err, domain.CodeConfigError) // a service account has no bearer
			continue
		}
		if err != nil || a.Reveal() != tokSecret {
			t.Fatalf("--account %q: %v, %v; want %s's token", sel, a, err, want)
		}
	}
	tok, err := f.app.Accounts.Token(ctx, domain.Selection{}, "vmtok")
	if err != nil || tok.Reveal() != tokSecret {
		t.Fatalf("Token(vmtok) = %v, %v", tok, err)
	}
	_, err = f.app.Accounts.Token(ctx, domain.Selection{}, "nobody")
	wantCode(t, err, domain.CodeAccountNotFound)
}

func TestBridgeAccountIsReadOnly(t *testing.T) {
	ctx := context.Background()
	f := newBridgeFixture(t, standardConfig(t), nil)
	f.put(t, bridgeCwd, domain.Bridge{Account: tokenAccount("vmtok")})
	before := f.load(t).Data()
	_, err := f.app.Projects.Use(ctx, domain.Selection{}, "42")
	if e := wantCode(t, err, domain.CodeConfigError); !strings.Contains(e.Error(), bridgeCwd) {
		t.Fatalf("error does not name the bridge: %v", err)
	}
	// The same refusal, the same code: CONFIG_ERROR naming the bridge.
	_, err = f.app.Workspaces.Use(ctx, domain.Selection{}, 3)
	if e := wantCode(t, err, domain.CodeConfigError); !strings.Contains(e.Error(), bridgeCwd) {
		t.Fatalf("error does not name the bridge: %v", err)
	}
	if after := f.load(t).Data(); !reflect.DeepEqual(before, after) {
		t.Fatal("the config changed")
	}
}

func TestExportBridgeAllTypesRoundTrip(t *testing.T) {
	ctx := context.Background()
	cfg := mustConfig(t, domain.ConfigData{
		Accounts: []domain.Account{sa("alpha", "100"), tokenAccount("beta"), browserAccount("gamma", "300")},
		Active:   domain.Active{Account: "alpha"},
		Settings: domain.Settings{CustomHeader: &domain.Header{Name: "X-Team", Value: "blue"}},
	})
	for _, name := range []domain.AccountName{"alpha", "beta", "gamma"} {
		t.Run(string(name), func(t *testing.T) {
			f := newBridgeFixture(t, cfg, nil)
			if err := f.tokens.Save(ctx, "gamma", oldTokens(expiry)); err != nil {
				t.Fatal(err)
			}
			res, err := f.app.Accounts.ExportBridge(ctx, app.BridgeExport{To: bridgeOut, Account: name, Project: "777", Workspace: 7})
			if err != nil {
				t.Fatal(err)
			}
			acct, _ := cfg.Account(name)
			if res.Path != bridgeOut || res.Account != string(name) || res.Type != string(acct.Type) || *res.Project != "777" ||
				*res.Workspace != 7 || fmt.Sprint(res.Headers) != "[X-Team]" || res.TokensIncluded != (name == "gamma") {
				t.Fatalf("result %+v", res)
			}
			assertNoSecret(t, "export result", fmt.Sprintf("%+v", res))
			b, err := f.bridges.Load(ctx, bridgeOut)
			if err != nil {
				t.Fatal(err)
			}
			if !b.Account.Equal(acct) || b.Project != "777" || b.Workspace != 7 || fmt.Sprint(b.Headers) != "[{X-Team blue}]" {
				t.Fatalf("exported %+v", b)
			}
			if name == "gamma" && (b.Tokens == nil || !reflect.DeepEqual(*b.Tokens, oldTokens(expiry))) {
				t.Fatalf("tokens %+v", b.Tokens)
			}
			first, _ := f.bridges.Raw(bridgeOut)

			// Import on a machine with only this bridge, export again: the
			// same bytes.
			vm := newBridgeFixture(t, domain.Config{}, nil)
			vm.bridges.PutRaw(bridgeHome, first)
			if _, err := vm.app.Accounts.ExportBridge(ctx, app.BridgeExport{To: bridgeOut}); err != nil {
				t.Fatal(err)
			}
			if again, _ := vm.bridges.Raw(bridgeOut); string(again) != string(first) {
				t.Fatalf("re-export differs:\n%s\n---\n%s", first, again)
			}
		})
	}
}

func TestExportBridgeRefusals(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		env  inmem.Env
		req  app.BridgeExport
		code domain.Code
	}{
		{"no --to", nil, app.BridgeExport{Account: "alpha"}, domain.CodeInvalidArgument},
		{"browser account without tokens", nil, app.BridgeExport{To: bridgeOut, Account: "gamma"}, domain.CodeOAuthTokenError},
		{"unknown account", nil, app.BridgeExport{To: bridgeOut, Account: "nobody"}, domain.CodeAccountNotFound},
		{"env-built account", quadEnv(), app.BridgeExport{To: bridgeOut}, domain.CodeInvalidArgument},
		{"bad project", nil, app.BridgeExport{To: bridgeOut, Account: "alpha", Project: "x1"}, domain.CodeInvalidArgument},
		{"bad workspace", nil, app.BridgeExport{To: bridgeOut, Account: "alpha", Workspace: -2}, domain.CodeInvalidArgument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newBridgeFixture(t, standardConfig(t), tt.env)
			_, err := f.app.Accounts.ExportBridge(ctx, tt.req)
			e := wantCode(t, err, tt.code)
			assertNoSecret(t, "error", fmt.Sprintf("%v %v %s", e, e.Details, e.Hint))
			if _, ok := f.bridges.Raw(bridgeOut); ok {
				t.Fatal("a refused export wrote a bridge")
			}
		})
	}
}

func TestExportBridgeTokenEnvIsNotCaptured(t *testing.T) {
	ctx := context.Background()
	cfg := mustConfig(t, domain.ConfigData{Accounts: []domain.Account{
		{Name: "ci", Type: domain.TypeOAuthToken, Region: domain.RegionEU, TokenEnv: "MP_CI_TOKEN"},
	}})
	f := newBridgeFixture(t, cfg, inmem.Env{"MP_CI_TOKEN": envToken})
	res, err := f.app.Accounts.ExportBridge(ctx, app.BridgeExport{To: bridgeOut, Account: "ci"})
	if err != nil || res.TokenEnv != "MP_CI_TOKEN" {
		t.Fatalf("ExportBridge = %+v, %v", res, err)
	}
	raw, _ := f.bridges.Raw(bridgeOut)
	if strings.Contains(string(raw), envToken) || !strings.Contains(string(raw), `"token_env": "MP_CI_TOKEN"`) {
		t.Fatalf("bridge:\n%s", raw)
	}
}

func TestRemoveBridge(t *testing.T) {
	ctx := context.Background()
	f := newBridgeFixture(t, standardConfig(t), nil)
	res, err := f.app.Accounts.RemoveBridge(ctx, "")
	if err != nil || res.Removed || res.Path != "" {
		t.Fatalf("nothing to remove: %+v, %v", res, err)
	}
	f.put(t, bridgeCwd, domain.Bridge{Account: tokenAccount("vmtok")})
	f.put(t, bridgeOut, domain.Bridge{Account: tokenAccount("other")})
	res, err = f.app.Accounts.RemoveBridge(ctx, "")
	if err != nil || !res.Removed || res.Path != bridgeCwd {
		t.Fatalf("default removal: %+v, %v", res, err)
	}
	res, err = f.app.Accounts.RemoveBridge(ctx, bridgeOut)
	if err != nil || !res.Removed || res.Path != bridgeOut {
		t.Fatalf("--at removal: %+v, %v", res, err)
	}
	res, err = f.app.Accounts.RemoveBridge(ctx, bridgeOut)
	if err != nil || res.Removed {
		t.Fatalf("second --at removal: %+v, %v", res, err)
	}
	if _, err := f.bridges.Load(ctx, bridgeOut); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("still there: %v", err)
	}
}

func TestNoBridgeStoreMeansNoBridge(t *testing.T) {
	f := newFixture(t, standardConfig(t), nil)
	if _, err := f.app.Accounts.ExportBridge(context.Background(), app.BridgeExport{To: bridgeOut, Account: "alpha"}); domain.CodeOf(err) != domain.CodeConfigError {
		t.Fatalf("export without a BridgeStore: %v", err)
	}
	if view, err := f.app.Sessions.Show(context.Background(), domain.Selection{}, false); err != nil || view.Bridge != nil {
		t.Fatalf("Show: %+v %v", view, err)
	}
}

// TestCheckBridgeBrowserAccount: the library's pre-switch check finds the
// bridge's tokens in the bridge, not in the (empty) token store.
func TestCheckBridgeBrowserAccount(t *testing.T) {
	f := newBridgeFixture(t, domain.Config{}, nil)
	f.put(t, bridgeHome, browserBridge(expiry))
	r, err := f.app.Sessions.Check(context.Background(), domain.Selection{})
	if err != nil || r.Session.Account.Name != "web" || r.Session.Project != "500" {
		t.Fatalf("Check = %+v, %v", r.Session, err)
	}
}

// TestExportBridgeReadsSecretStores: a secret kept in the keychain goes
// into the bridge inline (read where the app reads secrets), so that the
// bridge is self-contained.
func TestExportBridgeReadsSecretStores(t *testing.T) {
	ctx := context.Background()
	ext := sa("alpha", "100")
	ext.Secret, ext.External = domain.Secret{}, true
	cfg := mustConfig(t, domain.ConfigData{Accounts: []domain.Account{ext}})
	f := newSecretsFixture(t, cfg, domain.SecretBackendKeychain)
	bridges := inmem.NewBridgeStore(bridgeHome)
	a := app.New(app.Deps{
		Config: f.store, Storage: f.storage, Env: f.env, Log: f.log, API: f.api, Me: f.me, Clock: f.clock,
		Secrets: app.SecretStores{Backend: domain.SecretBackendKeychain, File: f.files, Keychain: f.keychain, Exec: f.exec},
		Bridges: bridges,
	})
	if _, err := a.Accounts.ExportBridge(ctx, app.BridgeExport{To: bridgeOut, Account: "alpha"}); err == nil {
		t.Fatal("export without the secret anywhere succeeded")
	}
	if _, ok := bridges.Raw(bridgeOut); ok {
		t.Fatal("a failed export wrote a bridge")
	}
	_ = f.keychain.Set(ctx, ports.SecretKey{Account: "alpha", Kind: ports.SecretServiceAccount}, []byte(saSecret))
	if _, err := a.Accounts.ExportBridge(ctx, app.BridgeExport{To: bridgeOut, Account: "alpha"}); err != nil {
		t.Fatal(err)
	}
	b, err := bridges.Load(ctx, bridgeOut)
	if err != nil || b.Account.Secret.Reveal() != saSecret || b.Account.External {
		t.Fatalf("bridge account %+v, %v", b.Account, err)
	}
}

// TestBridgeRevokedHintsAtTheHost: a revoked bridge refresh token says to
// log in on the host and export again, and leaves the bridge as it was.
func TestBridgeRevokedHintsAtTheHost(t *testing.T) {
	ctx := context.Background()
	f := newBridgeFixture(t, domain.Config{}, nil)
	f.put(t, bridgeHome, browserBridge(t0.Add(-time.Minute)))
	before, _ := f.bridges.Raw(bridgeHome)
	f.oauth.QueueRefresh(domain.Tokens{}, domain.NewError(domain.CodeOAuthRefreshRevoked, "the refresh token was revoked"))
	_, err := f.app.Accounts.Token(ctx, domain.Selection{}, "")
	e := wantCode(t, err, domain.CodeOAuthRefreshRevoked)
	if !strings.Contains(e.Hint, "on the host") || !strings.Contains(e.Hint, bridgeHome) {
		t.Fatalf("hint %q", e.Hint)
	}
	if after, _ := f.bridges.Raw(bridgeHome); string(after) != string(before) {
		t.Fatal("a failed refresh changed the bridge")
	}
}

// TestExportConfigAccountIgnoresBridgeHeaders: on a host where a bridge is
// in effect (say it was exported to ~/.claude/mixpanel/auth.json), exporting
// a config account carries the config's header only.
func TestExportConfigAccountIgnoresBridgeHeaders(t *testing.T) {
	ctx := context.Background()
	cfg := mustConfig(t, domain.ConfigData{
		Accounts: []domain.Account{sa("alpha", "100")},
		Settings: domain.Settings{CustomHeader: &domain.Header{Name: "X-Team", Value: "blue"}},
	})
	f := newBridgeFixture(t, cfg, nil)
	f.put(t, bridgeHome, domain.Bridge{Account: tokenAccount("vmtok"), Headers: []domain.Header{{Name: "X-Bridge", Value: "1"}}})
	if _, err := f.app.Accounts.ExportBridge(ctx, app.BridgeExport{To: bridgeOut, Account: "alpha"}); err != nil {
		t.Fatal(err)
	}
	b, _ := f.bridges.Load(ctx, bridgeOut)
	if fmt.Sprint(b.Headers) != "[{X-Team blue}]" {
		t.Fatalf("headers %v", b.Headers)
	}
	// Without -a the bridge's account wins (it beats [active]) and keeps
	// its headers, with the config's underneath.
	res, err := f.app.Accounts.ExportBridge(ctx, app.BridgeExport{To: bridgeOut})
	if err != nil || res.Account != "vmtok" || fmt.Sprint(res.Headers) != "[X-Team X-Bridge]" {
		t.Fatalf("export of the bridge's account = %+v, %v", res, err)
	}
}

// TestExportOverADamagedBridge: a damaged bridge in effect does not stop
// the export of a named config account (which replaces it).
func TestExportOverADamagedBridge(t *testing.T) {
	ctx := context.Background()
	f := newBridgeFixture(t, standardConfig(t), nil)
	f.bridges.PutRaw(bridgeHome, []byte(`{"version":1}`))
	if _, err := f.app.Projects.List(ctx, domain.Selection{}, false); domain.CodeOf(err) != domain.CodeConfigError {
		t.Fatalf("a damaged bridge must be an error: %v", err)
	}
	if _, err := f.app.Accounts.ExportBridge(ctx, app.BridgeExport{To: bridgeHome, Account: "alpha"}); err != nil {
		t.Fatalf("export over the damaged bridge: %v", err)
	}
	if b, err := f.bridges.Load(ctx, bridgeHome); err != nil || b.Account.Name != "alpha" {
		t.Fatalf("bridge after the export: %+v, %v", b, err)
	}
}
