package mp_test

import (
	"context"
	"path/filepath"
	"testing"

	mp "github.com/mpdata/mp"
)

// TestHermeticHandle: a bridge in the real home outranks the config of a
// handle opened with only WithConfigPath and WithStorageDir; WithoutBridge
// makes the config decide, and WithBridgePath looks at that file alone.
func TestHermeticHandle(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, 2, 1)
	host := f.open(t)
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("MP_AUTH_FILE", "")
	inHome := filepath.Join(home, ".claude", "mixpanel", "auth.json")
	if _, err := host.Accounts.ExportBridge(ctx, mp.BridgeExport{To: inHome, Account: f.account(1)}); err != nil {
		t.Fatal(err)
	}
	elsewhere := filepath.Join(t.TempDir(), "bridge.json")
	if _, err := host.Accounts.ExportBridge(ctx, mp.BridgeExport{To: elsewhere, Account: f.account(1)}); err != nil {
		t.Fatal(err)
	}
	paths := []mp.Option{
		mp.WithConfigPath(filepath.Join(f.dir, "config.toml")),
		mp.WithStorageDir(filepath.Join(f.dir, "storage")),
		mp.WithAPIBaseURL(f.srv.RegionURL()),
	}
	open := func(extra ...mp.Option) *mp.Workspace {
		t.Helper()
		ws, err := mp.Open(ctx, append(append([]mp.Option{}, paths...), extra...)...)
		if err != nil {
			t.Fatal(err)
		}
		return ws
	}

	if got := open().Account(); got != f.account(1) {
		t.Fatalf("paths only: account %q, want the real home's bridge account %q (the behaviour WithoutBridge exists for)", got, f.account(1))
	}
	if got := open(mp.WithoutBridge()).Account(); got != f.account(0) {
		t.Fatalf("WithoutBridge: account %q, want the config's active %q", got, f.account(0))
	}
	t.Setenv("MP_AUTH_FILE", elsewhere)
	if got := open(mp.WithoutBridge()).Account(); got != f.account(0) {
		t.Fatalf("WithoutBridge with MP_AUTH_FILE set: account %q, want %q", got, f.account(0))
	}
	t.Setenv("MP_AUTH_FILE", "")
	if got := open(mp.WithBridgePath(filepath.Join(t.TempDir(), "none.json"))).Account(); got != f.account(0) {
		t.Fatalf("WithBridgePath to a missing file: account %q, want the config's %q (the home bridge is not looked at)", got, f.account(0))
	}
	if got := open(mp.WithBridgePath(elsewhere)).Account(); got != f.account(1) {
		t.Fatalf("WithBridgePath: account %q, want the bridge's %q", got, f.account(1))
	}
}
