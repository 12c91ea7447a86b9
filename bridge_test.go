package mp_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	mp "github.com/mpdata/mp"
)

// TestOpenDiscoversBridge: a handle opened in a HOME that has no config but
// a bridge at ~/.claude/mixpanel/auth.json works as the bridge's account
// (bridge discovery inside Open), and RemoveBridge removes it.
func TestOpenDiscoversBridge(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, 1, 2)
	host := f.open(t)
	vmHome := t.TempDir()
	bridge := filepath.Join(vmHome, ".claude", "mixpanel", "auth.json")
	res, err := host.Accounts.ExportBridge(ctx, mp.BridgeExport{To: bridge, Account: f.account(0), Project: f.project(0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	if res.Path != bridge || res.Account != f.account(0) {
		t.Fatalf("export = %+v", res)
	}
	if fi, err := os.Stat(bridge); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("bridge file: %v %v", fi, err)
	}

	// A fresh HOME: no ~/.mp at all, only the bridge.
	vm, err := mp.Open(ctx, mp.WithEnv(map[string]string{"HOME": vmHome}), mp.WithAPIBaseURL(f.srv.RegionURL()))
	if err != nil {
		t.Fatalf("Open with only a bridge: %v", err)
	}
	if vm.Account() != f.account(0) || vm.Project() != f.project(0, 1) {
		_, serr := vm.Describe(ctx, mp.DescribeOptions{})
		t.Fatalf("session %s / %s, want the bridge's account and pinned project (%v)", vm.Account(), vm.Project(), serr)
	}
	projects, err := vm.Projects(ctx)
	if err != nil || len(projects) != 2 {
		t.Fatalf("Projects = %v, %v", projects, err)
	}
	view, err := vm.Describe(ctx, mp.DescribeOptions{})
	if err != nil || view.BridgePath != bridge || !strings.HasPrefix(view.Account.Source, "bridge ") {
		t.Fatalf("Show = %+v, %v", view, err)
	}
	if _, err := os.Stat(filepath.Join(vmHome, ".mp")); !os.IsNotExist(err) {
		t.Fatalf("a bridge-only handle created ~/.mp: %v", err)
	}

	// MP_AUTH_FILE names a bridge anywhere, also with explicit paths.
	other := filepath.Join(t.TempDir(), "auth.json")
	if _, err := host.Accounts.ExportBridge(ctx, mp.BridgeExport{To: other, Account: f.account(0)}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	byEnv, err := mp.Open(ctx, mp.WithConfigPath(filepath.Join(dir, "config.toml")), mp.WithStorageDir(filepath.Join(dir, "storage")),
		mp.WithEnv(map[string]string{"MP_AUTH_FILE": other}), mp.WithAPIBaseURL(f.srv.RegionURL()))
	if err != nil || byEnv.Account() != f.account(0) || byEnv.Project() != f.project(0, 0) {
		t.Fatalf("Open with MP_AUTH_FILE: %v", err)
	}
	rm, err := vm.Accounts.RemoveBridge(ctx, "")
	if err != nil || !rm.Removed || rm.Path != bridge {
		t.Fatalf("RemoveBridge = %+v, %v", rm, err)
	}
}
