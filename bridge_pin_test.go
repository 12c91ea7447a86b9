package mp_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	mp "github.com/mpdata/mp"
)

// vmOpts are the options of a handle on the fixture's config and sandbox
// with the home directory home (where a bridge may be).
func (f *fixture) vmOpts(home string) []mp.Option {
	return append(append([]mp.Option{}, f.opts...), mp.WithEnv(map[string]string{"HOME": home}))
}

// wantMPCode fails unless err is an *mp.Error with code.
func wantMPCode(t *testing.T, err error, code mp.Code) *mp.Error {
	t.Helper()
	var e *mp.Error
	if !errors.As(err, &e) || e.Code() != code {
		t.Fatalf("error %v, want %s", err, code)
	}
	return e
}

// TestBridgeSessionIsPinned: a handle whose account comes from a bridge
// keeps running as that account or fails — when the bridge is removed or
// replaced it never runs as the config's active account (or the new
// bridge's) while still reporting the old session.
func TestBridgeSessionIsPinned(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, 2, 2)
	host := f.open(t)
	if err := host.Use(ctx, mp.WithAccount(f.account(1)), mp.Persist()); err != nil {
		t.Fatal(err)
	}
	vmHome := t.TempDir()
	bridge := filepath.Join(vmHome, ".claude", "mixpanel", "auth.json")
	if _, err := host.Accounts.ExportBridge(ctx, mp.BridgeExport{To: bridge, Account: f.account(0), Project: f.project(0, 1)}); err != nil {
		t.Fatal(err)
	}
	vm, err := mp.Open(ctx, f.vmOpts(vmHome)...)
	if err != nil {
		t.Fatal(err)
	}
	if vm.Account() != f.account(0) || vm.Project() != f.project(0, 1) {
		t.Fatalf("session %s", vm.Session())
	}
	if v, err := vm.Describe(ctx, mp.DescribeOptions{}); err != nil || v.Account.Name != f.account(0) {
		t.Fatalf("Show = %+v, %v", v, err)
	}
	snap := vm.Session()

	for _, change := range []struct {
		name string
		do   func(t *testing.T)
	}{
		{"removed", func(t *testing.T) {
			if err := os.Remove(bridge); err != nil {
				t.Fatal(err)
			}
		}},
		{"replaced by another account's", func(t *testing.T) {
			if _, err := host.Accounts.ExportBridge(ctx, mp.BridgeExport{To: bridge, Account: f.account(1)}); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(change.name, func(t *testing.T) {
			change.do(t)
			_, err := vm.Describe(ctx, mp.DescribeOptions{})
			e := wantMPCode(t, err, mp.CodeConfigError)
			if !strings.Contains(e.Error(), "the bridge in effect changed") || !strings.Contains(e.Error(), bridge) {
				t.Fatalf("Show: %v", err)
			}
			if _, err := vm.Projects(ctx); err == nil {
				t.Fatal("Projects ran after the bridge changed")
			}
			if _, err := vm.Segmentation(ctx, f.queries); err == nil {
				t.Fatal("Segmentation ran after the bridge changed")
			}
			// A handle seeded from the snapshot is pinned the same way.
			seeded, err := vm.Fork(ctx, mp.WithSession(snap))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := seeded.Me(ctx); err == nil {
				t.Fatal("a handle seeded from the snapshot ran after the bridge changed")
			}
			// Use without naming an account stays on the pinned bridge.
			if err := vm.Use(ctx, mp.WithProject(f.project(0, 0))); err == nil {
				t.Fatal("Use to another project switched off the changed bridge")
			}
			if vm.Account() != f.account(0) || vm.Project() != f.project(0, 1) {
				t.Fatalf("failed Use changed the session: %s", vm.Session())
			}
		})
	}

	// Naming an account switches as usual; a new handle sees the new bridge.
	if err := vm.Use(ctx, mp.WithAccount(f.account(0))); err != nil {
		t.Fatal(err)
	}
	if _, err := vm.Projects(ctx); err != nil {
		t.Fatalf("after Use(WithAccount): %v", err)
	}
	fresh, err := mp.Open(ctx, f.vmOpts(vmHome)...)
	if err != nil || fresh.Account() != f.account(1) {
		t.Fatalf("new handle: %v, %v", fresh, err)
	}
}

// TestPersistBridgeAccountIsRefused: the bridge's account cannot be saved
// as the active session (CONFIG_ERROR naming the bridge), and a
// bridge-only home gets no ~/.mp from trying.
func TestPersistBridgeAccountIsRefused(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, 1, 1)
	host := f.open(t)
	vmHome := t.TempDir()
	bridge := filepath.Join(vmHome, ".claude", "mixpanel", "auth.json")
	if _, err := host.Accounts.ExportBridge(ctx, mp.BridgeExport{To: bridge, Account: f.account(0)}); err != nil {
		t.Fatal(err)
	}
	vm, err := mp.Open(ctx, mp.WithEnv(map[string]string{"HOME": vmHome}), mp.WithAPIBaseURL(f.srv.RegionURL()))
	if err != nil {
		t.Fatal(err)
	}
	before := vm.Session()
	for name, call := range map[string]func() error{
		"Use(project, Persist)": func() error { return vm.Use(ctx, mp.WithProject(f.project(0, 0)), mp.Persist()) },
		"Use(Persist)":          func() error { return vm.Use(ctx, mp.Persist()) },
		"Use(account, Persist)": func() error { return vm.Use(ctx, mp.WithAccount(f.account(0)), mp.Persist()) },
	} {
		e := wantMPCode(t, call(), mp.CodeConfigError)
		if !strings.Contains(e.Error(), "comes from the bridge "+bridge) {
			t.Fatalf("%s: %v", name, e)
		}
		if vm.Session() != before {
			t.Fatalf("%s: the session changed to %s", name, vm.Session())
		}
	}
	if _, err := os.Stat(filepath.Join(vmHome, ".mp")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("~/.mp was created: %v", err)
	}
}

// TestWithEnvIsolatesFromTheProcess: with WithEnv the handle reads
// nothing of the real home directory or current directory: no HOME means
// no home bridge (and both paths are needed), and the current-directory
// bridge comes only from WithWorkDir.
func TestWithEnvIsolatesFromTheProcess(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, 2, 1)
	host := f.open(t)
	realHome, cwd := t.TempDir(), t.TempDir()
	if _, err := host.Accounts.ExportBridge(ctx, mp.BridgeExport{To: filepath.Join(realHome, ".claude", "mixpanel", "auth.json"), Account: f.account(0)}); err != nil {
		t.Fatal(err)
	}
	if _, err := host.Accounts.ExportBridge(ctx, mp.BridgeExport{To: filepath.Join(cwd, "mixpanel_auth.json"), Account: f.account(1)}); err != nil {
		t.Fatal(err)
	}
	t.Setenv("HOME", realHome)
	t.Chdir(cwd)
	empty := t.TempDir()
	paths := []mp.Option{
		mp.WithConfigPath(filepath.Join(empty, "config.toml")), mp.WithStorageDir(filepath.Join(empty, "storage")),
		mp.WithAPIBaseURL(f.srv.RegionURL()),
	}
	open := func(opts ...mp.Option) *mp.Workspace {
		t.Helper()
		ws, err := mp.Open(ctx, append(append([]mp.Option{}, paths...), opts...)...)
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		return ws
	}

	// WithEnv without HOME: neither the real home's bridge nor the cwd's.
	if ws := open(mp.WithEnv(map[string]string{})); ws.Account() != "" {
		t.Fatalf("WithEnv({}) picked up %s", ws.Account())
	}
	// ... and without both paths it cannot locate ~/.mp.
	_, err := mp.Open(ctx, mp.WithEnv(map[string]string{}))
	wantMPCode(t, err, mp.CodeConfigError)
	// WithWorkDir brings the current-directory bridge in.
	if ws := open(mp.WithEnv(map[string]string{}), mp.WithWorkDir(cwd)); ws.Account() != f.account(1) {
		t.Fatalf("WithWorkDir: account %q", ws.Account())
	}
	// Without WithEnv: the process's home and current directory, unless
	// WithWorkDir("") turns the current directory off.
	if ws := open(); ws.Account() != f.account(0) {
		t.Fatalf("process home: account %q", ws.Account())
	}
	if err := os.Remove(filepath.Join(realHome, ".claude", "mixpanel", "auth.json")); err != nil {
		t.Fatal(err)
	}
	if ws := open(); ws.Account() != f.account(1) {
		t.Fatalf("process cwd: account %q", ws.Account())
	}
	if ws := open(mp.WithWorkDir("")); ws.Account() != "" {
		t.Fatalf("WithWorkDir(\"\"): account %q", ws.Account())
	}
}

// TestProcessEnvIsASnapshot: without WithEnv the handle reads the process
// environment once, at Open: an account built from MP_USERNAME/MP_SECRET…
// keeps working as it was when the variables change afterwards.
func TestProcessEnvIsASnapshot(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, 1, 1)
	sa := f.fleet[0]
	t.Setenv("HOME", t.TempDir())
	t.Setenv("MP_USERNAME", sa.Username)
	t.Setenv("MP_SECRET", sa.Secret)
	t.Setenv("MP_PROJECT_ID", string(f.project(0, 0)))
	t.Setenv("MP_REGION", "us")
	dir := t.TempDir()
	ws, err := mp.Open(ctx, mp.WithConfigPath(filepath.Join(dir, "config.toml")), mp.WithStorageDir(filepath.Join(dir, "storage")),
		mp.WithAPIBaseURL(f.srv.RegionURL()))
	if err != nil {
		t.Fatal(err)
	}
	if ws.Account() != "env-service-account" {
		t.Fatalf("account %q", ws.Account())
	}
	t.Setenv("MP_SECRET", "not-the-secret")
	if _, err := ws.Projects(ctx); err != nil {
		t.Fatalf("after the environment changed: %v", err)
	}
}
