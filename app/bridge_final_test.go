package app_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
)

// countingConfig is a ConfigStore that counts transactions, to tell a
// refusal made before the config is locked from one made inside Update.
type countingConfig struct {
	ports.ConfigStore
	updates atomic.Int32
}

func (c *countingConfig) Update(ctx context.Context, fn func(*domain.Config) error) error {
	c.updates.Add(1)
	return c.ConfigStore.Update(ctx, fn)
}

// countingApp is an App over f's fakes whose config store counts updates.
func countingApp(f *bridgeFixture) (*app.App, *countingConfig) {
	cc := &countingConfig{ConfigStore: f.store}
	return app.New(app.Deps{
		Config: cc, Storage: f.storage, Env: f.env, Log: f.log,
		API: f.api, Me: f.me, Clock: f.clock, Tokens: f.tokens, OAuth: f.oauth, Bridges: f.bridges,
	}), cc
}

// TestExportBridgeInEffectHere: a bridge written to a place where mp looks
// for a bridge on this machine, on a machine whose config has accounts,
// takes over its account choice: the result says so (InEffectHere and a
// warning with the path, the account it now runs as and the fix). A
// bridge written elsewhere, or on a machine without config accounts (a
// VM), gets no such warning.
func TestExportBridgeInEffectHere(t *testing.T) {
	ctx := context.Background()
	f := newBridgeFixture(t, standardConfig(t), nil)
	res, err := f.app.Accounts.ExportBridge(ctx, app.BridgeExport{To: bridgeHome, Account: "beta", Project: "3018488"})
	if err != nil {
		t.Fatal(err)
	}
	if !res.InEffectHere {
		t.Fatalf("InEffectHere = false for a bridge written to %s", bridgeHome)
	}
	for _, want := range []string{
		bridgeHome, "in effect here", "overrides [active]", "account 'beta'", "active account 'alpha'",
		"--to ~/vm-auth.json", "mp account remove-bridge --at " + bridgeHome,
	} {
		if !strings.Contains(res.InEffectWarning, want) {
			t.Errorf("warning lacks %q: %s", want, res.InEffectWarning)
		}
	}
	assertNoSecret(t, "in-effect warning", res.InEffectWarning)

	res, err = f.app.Accounts.ExportBridge(ctx, app.BridgeExport{To: bridgeOut, Account: "beta"})
	if err != nil || res.InEffectHere || res.InEffectWarning != "" {
		t.Fatalf("export elsewhere = %+v, %v", res, err)
	}

	vm := newBridgeFixture(t, domain.Config{}, nil)
	vm.put(t, bridgeCwd, domain.Bridge{Account: tokenAccount("vmtok")})
	res, err = vm.app.Accounts.ExportBridge(ctx, app.BridgeExport{To: bridgeHome})
	if err != nil || res.InEffectHere {
		t.Fatalf("VM export = %+v, %v", res, err)
	}
}

// TestSharedRefreshWarningWording: the warning names "the refresh token
// of account 'x'" (not "account 'x”s").
func TestSharedRefreshWarningWording(t *testing.T) {
	ctx := context.Background()
	f := newBridgeFixture(t, standardConfig(t), nil)
	if err := f.tokens.Save(ctx, "gamma", oldTokens(expiry)); err != nil {
		t.Fatal(err)
	}
	res, err := f.app.Accounts.ExportBridge(ctx, app.BridgeExport{To: bridgeOut, Account: "gamma"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(res.Warning, "the refresh token of account 'gamma'") || strings.Contains(res.Warning, "''s") {
		t.Fatalf("warning %q", res.Warning)
	}
}

// TestSavedSelectionShadowedByBridge: account use, project use and target
// use save a selection that a bridge in effect outranks in every run
// without --account/--target; each result says so (the bridge's path and
// a note with the fix). Without a bridge, or when the bridge does not win
// a plain run (MP_ACCOUNT), there is no note.
func TestSavedSelectionShadowedByBridge(t *testing.T) {
	ctx := context.Background()
	f := newBridgeFixture(t, standardConfig(t), nil)

	acct, err := f.app.Accounts.Use(ctx, "beta")
	if err != nil || acct.ShadowedByBridge != "" || acct.Note != "" {
		t.Fatalf("Use without a bridge = %+v, %v", acct, err)
	}

	f.put(t, bridgeHome, domain.Bridge{Account: tokenAccount("vmtok"), Project: "500"})
	acct, err = f.app.Accounts.Use(ctx, "alpha")
	if err != nil {
		t.Fatal(err)
	}
	if acct.ShadowedByBridge != bridgeHome || !strings.Contains(acct.Note, "account 'vmtok'") ||
		!strings.Contains(acct.Note, "the active account 'alpha'") || !strings.Contains(acct.Note, "mp account remove-bridge --at "+bridgeHome) {
		t.Fatalf("Accounts.Use = %+v", acct)
	}
	if got := f.load(t).Active().Account; got != "alpha" {
		t.Fatalf("[active] = %q: the note must not stop the change", got)
	}

	proj, err := f.app.Projects.Use(ctx, domain.Selection{Account: "alpha"}, "123")
	if err != nil {
		t.Fatal(err)
	}
	if proj.ShadowedByBridge != bridgeHome || !strings.Contains(proj.Note, "the default project 123 of account 'alpha'") {
		t.Fatalf("Projects.Use = %+v", proj)
	}

	tgt, err := f.app.Targets.Use(ctx, "web")
	if err != nil {
		t.Fatal(err)
	}
	if tgt.ShadowedByBridge != bridgeHome || !strings.Contains(tgt.Note, "target 'web'") {
		t.Fatalf("Targets.Use = %+v", tgt)
	}

	// MP_ACCOUNT wins a plain run: the bridge shadows nothing there.
	g := newBridgeFixture(t, standardConfig(t), map[string]string{"MP_ACCOUNT": "beta"})
	g.put(t, bridgeHome, domain.Bridge{Account: tokenAccount("vmtok")})
	if acct, err := g.app.Accounts.Use(ctx, "alpha"); err != nil || acct.ShadowedByBridge != "" {
		t.Fatalf("Use with MP_ACCOUNT = %+v, %v", acct, err)
	}
}

// TestBridgeOnlyNoProject: on a machine with only a bridge that pins no
// project, the error gives fixes that work there (never `mp project use`),
// and Show with explain returns the account axis that resolved with the
// failure.
func TestBridgeOnlyNoProject(t *testing.T) {
	ctx := context.Background()
	f := newBridgeFixture(t, domain.Config{}, nil)
	f.put(t, bridgeCwd, domain.Bridge{Account: tokenAccount("b")})

	_, err := f.app.Sessions.Show(ctx, domain.Selection{}, false)
	e := wantCode(t, err, domain.CodeConfigError)
	if !strings.Contains(e.Message, "comes from the bridge "+bridgeCwd) || strings.Contains(e.Hint, "project use") {
		t.Fatalf("error %q, hint %q", e.Message, e.Hint)
	}

	view, err := f.app.Sessions.Show(ctx, domain.Selection{}, true)
	wantCode(t, err, domain.CodeConfigError)
	x := view.Explain
	if x == nil || x.Failed == nil || x.Failed.Axis != "project" || x.Failed.Code != string(domain.CodeConfigError) ||
		!strings.Contains(x.Failed.Message, "no project for account 'b'") {
		t.Fatalf("partial explain %+v", x)
	}
	if view.Account.Name != "b" || view.Account.Source != "bridge "+bridgeCwd || x.Account.Winner.Kind != "bridge" ||
		view.Project.ID != "" || view.Bridge == nil || view.Bridge.Path != bridgeCwd {
		t.Fatalf("partial view %+v, explain %+v", view, x)
	}

	// Without explain the failed view stays empty.
	if view, _ := f.app.Sessions.Show(ctx, domain.Selection{}, false); view.Explain != nil || view.Account.Name != "" {
		t.Fatalf("Show without explain returned %+v", view)
	}
	// No account at all: the failure of the account axis, nothing else.
	empty := newBridgeFixture(t, domain.Config{}, nil)
	view, err = empty.app.Sessions.Show(ctx, domain.Selection{}, true)
	wantCode(t, err, domain.CodeConfigError)
	if view.Explain == nil || view.Explain.Failed == nil || view.Explain.Failed.Axis != "account" || view.Account.Name != "" {
		t.Fatalf("no account: %+v", view)
	}
}

// TestBridgeAccountRefusedBeforeTheConfig: logging in to the bridge's
// account and saving a target for it are refused with CONFIG_ERROR naming
// the bridge, before any config transaction (no lock, nothing created).
func TestBridgeAccountRefusedBeforeTheConfig(t *testing.T) {
	ctx := context.Background()
	f := newBridgeFixture(t, domain.Config{}, nil)
	f.put(t, bridgeCwd, browserBridge(expiry))
	a, cc := countingApp(f)

	_, err := a.Accounts.Login(ctx, "web", app.LoginOptions{NoBrowser: true})
	e := wantCode(t, err, domain.CodeConfigError)
	if !strings.Contains(e.Message, "cannot log in to account 'web'") || !strings.Contains(e.Message, bridgeCwd) ||
		!strings.Contains(e.Hint, "mp account login web") {
		t.Fatalf("login: %q, hint %q", e.Message, e.Hint)
	}

	_, err = a.Targets.Add(ctx, domain.Target{Name: "t1", Account: "web", Project: "5"})
	e = wantCode(t, err, domain.CodeConfigError)
	if !strings.Contains(e.Message, "target 't1'") || !strings.Contains(e.Message, "account stored in the config") ||
		!strings.Contains(e.Message, bridgeCwd) {
		t.Fatalf("target add: %q", e.Message)
	}
	if n := cc.updates.Load(); n != 0 {
		t.Fatalf("%d config transactions, want none", n)
	}
	if len(f.load(t).AccountNames()) != 0 || len(f.load(t).Targets()) != 0 {
		t.Fatal("the config changed")
	}

	// An unknown account is still ACCOUNT_NOT_FOUND, from the config.
	_, err = a.Targets.Add(ctx, domain.Target{Name: "t2", Account: "nobody", Project: "5"})
	wantCode(t, err, domain.CodeAccountNotFound)
}
