package app_test

import (
	"context"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports/inmem"
)

// TestBridgePinDetectsAChangedBridge: a session pinned to a bridge
// (app.WithBridgePin with the pin CheckSession returned) runs as that
// bridge's account or fails with CONFIG_ERROR — never as whatever is in
// effect once the bridge is removed, replaced or moved.
func TestBridgePinDetectsAChangedBridge(t *testing.T) {
	ctx := context.Background()
	vmtok := domain.Bridge{Account: tokenAccount("vmtok"), Project: "500"}
	other := domain.Bridge{Account: tokenAccount("other"), Project: "600"}
	tests := []struct {
		name   string
		change func(f *bridgeFixture)
		says   string
	}{
		{"removed", func(f *bridgeFixture) { _, _ = f.bridges.Remove(ctx, bridgeHome) }, "there is no bridge in effect now"},
		{"replaced by another account's", func(f *bridgeFixture) { f.put(t, bridgeHome, other) }, "it now holds account 'other'"},
		{"moved to another place", func(f *bridgeFixture) {
			_, _ = f.bridges.Remove(ctx, bridgeHome)
			f.put(t, bridgeCwd, vmtok)
		}, "the bridge in effect now is " + bridgeCwd},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newBridgeFixture(t, standardConfig(t), nil)
			f.put(t, bridgeHome, vmtok)
			c, err := f.app.Sessions.CheckSession(ctx, domain.Selection{})
			if err != nil {
				t.Fatal(err)
			}
			want := app.BridgePin{Path: bridgeHome, Account: "vmtok"}
			if c.Bridge != want || c.Session.Account.Name != "vmtok" {
				t.Fatalf("CheckSession = %+v, pin %+v; want %+v", c.Session.Account.Name, c.Bridge, want)
			}
			pinned := app.WithBridgePin(ctx, c.Bridge)
			sel := domain.Selection{Project: c.Session.Project}
			if tok, err := f.app.Accounts.Token(pinned, sel, ""); err != nil || tok.Reveal() != tokSecret {
				t.Fatalf("pinned Token before the change = %v", err)
			}

			tt.change(f)
			for what, call := range map[string]func() error{
				"Resolve": func() error { _, err := f.app.Sessions.Resolve(pinned, sel); return err },
				"Token":   func() error { _, err := f.app.Accounts.Token(pinned, sel, ""); return err },
				"Show":    func() error { _, err := f.app.Sessions.Show(pinned, sel, false); return err },
			} {
				e := wantCode(t, call(), domain.CodeConfigError)
				if !strings.Contains(e.Message, "the bridge in effect changed") || !strings.Contains(e.Message, tt.says) ||
					!strings.Contains(e.Hint, "Use") {
					t.Fatalf("%s: %v (hint %q)", what, e, e.Hint)
				}
			}
			// A call naming an account is not about the pinned session.
			if _, err := f.app.Accounts.Token(pinned, domain.Selection{}, "beta"); err != nil {
				t.Fatalf("Token(beta) with a pin: %v", err)
			}
			// Without the pin the chain resolves anew.
			if _, err := f.app.Sessions.Resolve(ctx, domain.Selection{}); err != nil {
				t.Fatalf("unpinned Resolve: %v", err)
			}
		})
	}
}

// TestCheckSessionPinsOnlyBridgeAccounts: a config account gets no pin.
func TestCheckSessionPinsOnlyBridgeAccounts(t *testing.T) {
	f := newBridgeFixture(t, standardConfig(t), nil)
	f.put(t, bridgeHome, domain.Bridge{Account: tokenAccount("vmtok"), Project: "500"})
	c, err := f.app.Sessions.CheckSession(context.Background(), domain.Selection{Account: "alpha"})
	if err != nil || !c.Bridge.IsZero() {
		t.Fatalf("CheckSession(alpha) = pin %+v, %v", c.Bridge, err)
	}
	// Naming the bridge's account (not in the config) pins the bridge.
	c, err = f.app.Sessions.CheckSession(context.Background(), domain.Selection{Account: "vmtok"})
	if err != nil || c.Bridge != (app.BridgePin{Path: bridgeHome, Account: "vmtok"}) {
		t.Fatalf("CheckSession(vmtok) = pin %+v, %v", c.Bridge, err)
	}
}

// TestPersistRefusesBridgeAccount: a session whose account comes from a
// bridge is not written to the config (CONFIG_ERROR naming the bridge),
// whether the chain picked the bridge or --account named its account.
func TestPersistRefusesBridgeAccount(t *testing.T) {
	ctx := context.Background()
	for _, sel := range []domain.Selection{{}, {Account: "vmtok"}} {
		f := newBridgeFixture(t, standardConfig(t), nil)
		f.put(t, bridgeHome, domain.Bridge{Account: tokenAccount("vmtok"), Project: "500"})
		before := f.load(t).Data()
		r, err := f.app.Sessions.Resolve(ctx, sel)
		if err != nil {
			t.Fatal(err)
		}
		e := wantCode(t, f.app.Sessions.Persist(ctx, r), domain.CodeConfigError)
		if !strings.Contains(e.Message, "comes from the bridge "+bridgeHome) || !strings.Contains(e.Message, "'vmtok'") {
			t.Fatalf("Persist(%+v) = %v", sel, e)
		}
		if after := f.load(t).Data(); !reflect.DeepEqual(before, after) {
			t.Fatalf("Persist(%+v) changed the config", sel)
		}
	}
}

// TestNoAccountNamesAMissingAuthFile: with MP_AUTH_FILE naming a file that
// does not exist, "no account configured" says so first.
func TestNoAccountNamesAMissingAuthFile(t *testing.T) {
	ctx := context.Background()
	f := newBridgeFixture(t, domain.Config{}, inmem.Env{"MP_AUTH_FILE": "/nowhere/auth.json"})
	_, err := f.app.Sessions.Resolve(ctx, domain.Selection{})
	e := wantCode(t, err, domain.CodeConfigError)
	fixes, _ := e.Details["fixes"].([]string)
	if !strings.Contains(e.Message, "MP_AUTH_FILE names /nowhere/auth.json") || e.Details["source"] != domain.EnvAuthFile ||
		len(fixes) == 0 || !strings.Contains(fixes[0], "MP_AUTH_FILE") || !strings.Contains(e.Hint, "unset MP_AUTH_FILE") {
		t.Fatalf("error %v (details %v, hint %q)", e, e.Details, e.Hint)
	}
	// Without the variable: the plain message.
	f = newBridgeFixture(t, domain.Config{}, nil)
	_, err = f.app.Sessions.Resolve(ctx, domain.Selection{})
	if e := wantCode(t, err, domain.CodeConfigError); e.Message != "no account configured" {
		t.Fatalf("error %v", e)
	}
}

// recordingBridges records the order of the lock, load and write calls on
// a bridge store.
type recordingBridges struct {
	*inmem.BridgeStore
	mu     sync.Mutex
	events []string
}

func (r *recordingBridges) add(e string) {
	r.mu.Lock()
	r.events = append(r.events, e)
	r.mu.Unlock()
}

func (r *recordingBridges) Load(ctx context.Context, path string) (domain.Bridge, error) {
	r.add("load " + path)
	return r.BridgeStore.Load(ctx, path)
}

func (r *recordingBridges) Write(ctx context.Context, path string, b domain.Bridge) error {
	r.add("write " + path)
	return r.BridgeStore.Write(ctx, path, b)
}

func (r *recordingBridges) Lock(ctx context.Context, path string) (func(), error) {
	r.add("lock " + path)
	return r.BridgeStore.Lock(ctx, path)
}

// TestExportOverOwnBridgeReadsTokensUnderLock: exporting the bridge's
// account over its own file reads the tokens under the bridge's lock, so a
// refresh cannot slip in between the read and the write.
func TestExportOverOwnBridgeReadsTokensUnderLock(t *testing.T) {
	ctx := context.Background()
	f := newBridgeFixture(t, domain.Config{}, nil)
	f.put(t, bridgeHome, browserBridge(t0.Add(time.Hour)))
	rec := &recordingBridges{BridgeStore: f.bridges}
	a := app.New(app.Deps{
		Config: f.store, Storage: f.storage, Env: f.env, Log: f.log,
		API: f.api, Me: f.me, Clock: f.clock, Tokens: f.tokens, OAuth: f.oauth, Bridges: rec,
	})
	if _, err := a.Accounts.ExportBridge(ctx, app.BridgeExport{To: bridgeHome}); err != nil {
		t.Fatal(err)
	}
	want := []string{"lock " + bridgeHome, "load " + bridgeHome, "write " + bridgeHome}
	if !reflect.DeepEqual(rec.events, want) {
		t.Fatalf("calls %q, want %q", rec.events, want)
	}

	// Exported elsewhere, the bridge is built first and the target locked
	// only then.
	rec.events = nil
	if _, err := a.Accounts.ExportBridge(ctx, app.BridgeExport{To: bridgeOut}); err != nil {
		t.Fatal(err)
	}
	want = []string{"load " + bridgeHome, "lock " + bridgeOut, "write " + bridgeOut}
	if !reflect.DeepEqual(rec.events, want) {
		t.Fatalf("calls %q, want %q", rec.events, want)
	}
}

// TestExportBridgeWarnsAboutSharedRefreshToken: a bridge that carries a
// refresh token the exporting machine keeps using comes with a warning
// that says what happens and how to avoid it; other bridges do not.
func TestExportBridgeWarnsAboutSharedRefreshToken(t *testing.T) {
	ctx := context.Background()
	cfg := mustConfig(t, domain.ConfigData{
		Accounts: []domain.Account{sa("alpha", "100"), browserAccount("gamma", "300")},
		Active:   domain.Active{Account: "alpha"},
	})
	f := newBridgeFixture(t, cfg, nil)
	if err := f.tokens.Save(ctx, "gamma", oldTokens(expiry)); err != nil {
		t.Fatal(err)
	}
	res, err := f.app.Accounts.ExportBridge(ctx, app.BridgeExport{To: bridgeOut, Account: "gamma"})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"OAUTH_REFRESH_REVOKED", "mp account add gamma-vm --type oauth_browser", "mp account login gamma-vm", "--account gamma-vm"} {
		if !res.SharedRefreshToken || !strings.Contains(res.Warning, want) {
			t.Fatalf("warning %q does not say %q", res.Warning, want)
		}
	}
	assertNoSecret(t, "warning", res.Warning)
	res, err = f.app.Accounts.ExportBridge(ctx, app.BridgeExport{To: bridgeOut, Account: "alpha"})
	if err != nil || res.SharedRefreshToken || res.Warning != "" {
		t.Fatalf("service account export = %+v, %v", res, err)
	}
}
