package mp_test

import (
	"context"
	"errors"
	"testing"

	mp "github.com/mpdata/mp"
	"github.com/mpdata/mp/mptest"
)

// TestAccountsNamespace drives the Accounts methods through a handle:
// they act on the handle's account when no name is given, and their
// failures are *mp.Error values.
func TestAccountsNamespace(t *testing.T) {
	f := newFixture(t, 2, 2)
	ctx := context.Background()
	ws := f.open(t, mp.WithAccount("fleet-1"))

	list, err := ws.Accounts.List(ctx)
	if err != nil || len(list) != 3 || list[0].Name != "browser" || list[1].Name != "fleet-0" || !list[1].IsActive {
		t.Fatalf("List = %+v, %v", list, err)
	}
	if s, err := ws.Accounts.Show(ctx, ""); err != nil || s.Name != "fleet-1" {
		t.Fatalf("Show(\"\") = %+v, %v; want the handle's account", s, err)
	}
	res, err := ws.Accounts.Test(ctx, "")
	if err != nil || !res.OK || res.Account != "fleet-1" || res.ProjectCount != 2 || res.User.Email == "" {
		t.Fatalf("Test = %+v, %v", res, err)
	}
	if _, err := ws.Accounts.Token(ctx, ""); mp.CodeOf(err) != mp.CodeConfigError {
		t.Fatalf("Token of a service account = %v, want CONFIG_ERROR", err)
	}
	if _, err := ws.Accounts.Logout(ctx, "fleet-0"); mp.CodeOf(err) != mp.CodeInvalidArgument {
		t.Fatalf("Logout of a service account = %v", err)
	}
	p := f.project(1, 1)
	if s, err := ws.Accounts.Update(ctx, "fleet-1", mp.AccountPatch{DefaultProject: &p}); err != nil || s.DefaultProject != p {
		t.Fatalf("Update = %+v, %v", s, err)
	}
	// Coming back to the account from another one starts at its (new)
	// default project.
	if err := ws.Use(ctx, mp.WithAccount("fleet-0")); err != nil {
		t.Fatal(err)
	}
	if err := ws.Use(ctx, mp.WithAccount("fleet-1"), mp.Persist()); err != nil || ws.Project() != p {
		t.Fatalf("Use(fleet-1, Persist) from fleet-0 = %v (session %v)", err, ws.Session())
	}
	if s, err := ws.Accounts.Show(ctx, "fleet-1"); err != nil || !s.IsActive {
		t.Fatalf("after Use(fleet-1, Persist), Show = %+v, %v; want it active", s, err)
	}
	if err := ws.Use(ctx, mp.WithAccount("ghost"), mp.Persist()); !errors.Is(err, mp.CodeAccountNotFound) || ws.Account() != "fleet-1" {
		t.Fatalf("Use(ghost, Persist) = %v (session %v)", err, ws.Session())
	}
	if _, err := ws.Targets.Add(ctx, mp.Target{Name: "t", Account: "fleet-0", Project: f.project(0, 0)}); err != nil {
		t.Fatal(err)
	}
	if _, err := ws.Accounts.Remove(ctx, "fleet-0", mp.RemoveOptions{}); !errors.Is(err, mp.CodeAccountInUse) {
		t.Fatalf("Remove of a referenced account = %v", err)
	}
	if r, err := ws.Accounts.Remove(ctx, "fleet-0", mp.RemoveOptions{Force: true}); err != nil || len(r.OrphanedTargets) != 1 {
		t.Fatalf("Remove(force) = %+v, %v", r, err)
	}
	var e *mp.Error
	if _, err := ws.Targets.Show(ctx, "ghost"); !errors.As(err, &e) || e.Code() != mp.CodeTargetNotFound || e.Hint() == "" {
		t.Fatalf("Targets.Show(ghost) = %v", err)
	}
	if v, err := ws.Targets.Remove(ctx, "t"); err != nil || v.Name != "t" {
		t.Fatalf("Targets.Remove = %+v, %v", v, err)
	}
	if l, err := ws.Targets.List(ctx); err != nil || len(l) != 0 {
		t.Fatalf("Targets.List = %+v, %v", l, err)
	}
}

// TestSnapshotSharesTheEngine: a handle opened from a snapshot (with a
// selection on top) uses the /me answers the first handle fetched, and
// the data calls answer for its own session.
func TestSnapshotSharesTheEngine(t *testing.T) {
	f := newFixture(t, 2, 2)
	ctx := context.Background()
	ws := f.open(t)
	for _, a := range []string{"fleet-0", "fleet-1"} {
		if err := ws.Use(ctx, mp.WithAccount(a)); err != nil {
			t.Fatal(err)
		}
		if _, err := ws.Me(ctx); err != nil {
			t.Fatal(err)
		}
	}
	me := f.srv.Count(mptest.RouteMe)
	h, err := ws.Fork(ctx, mp.WithAccount("fleet-0"), mp.WithProject(f.project(0, 1)))
	if err != nil {
		t.Fatal(err)
	}
	if h.Account() != "fleet-0" || h.Project() != f.project(0, 1) || ws.Account() != "fleet-1" {
		t.Fatalf("seeded handle %v, first handle %v", h.Session(), ws.Session())
	}
	ps, err := h.Projects(ctx)
	if err != nil || len(ps) != 2 || !ps[1].IsActive || ps[1].ID != f.project(0, 1) {
		t.Fatalf("Projects of the seeded handle = %+v, %v", ps, err)
	}
	if ws2, err := h.Workspaces(ctx); err != nil || len(ws2) != 1 || !ws2[0].IsDefault {
		t.Fatalf("Workspaces = %+v, %v", ws2, err)
	}
	if n := f.srv.Count(mptest.RouteMe) - me; n != 0 {
		t.Fatalf("the seeded handle fetched /me %d times; the engine's answers were not shared", n)
	}
	v, err := h.Describe(ctx, mp.DescribeOptions{Explain: true})
	if err != nil || v.Account.Name != "fleet-0" || v.Project.Name != "Fleet 0-1" || v.Explain == nil ||
		v.Account.Source != "option WithAccount" || v.Explain.Project.Winner.Name != "WithProject" {
		t.Fatalf("Describe = %+v, %v", v, err)
	}
	resp, err := h.Do(ctx, mp.RawRequest{Path: "/api/app/me"})
	if err != nil || resp.Status != 200 || len(resp.Body) == 0 {
		t.Fatalf("Do = %d, %v", resp.Status, err)
	}
	if _, err := h.Do(ctx, mp.RawRequest{Path: "/nope"}); mp.CodeOf(err) != mp.CodeInvalidArgument {
		t.Fatalf("Do(/nope) = %v", err)
	}
}

// TestMigrateSecretsNamespace checks the facade's MigrateSecrets: a bad
// backend name and an unknown account are typed errors, and moving secrets
// that already live in config.toml to the file backend changes nothing.
func TestMigrateSecretsNamespace(t *testing.T) {
	f := newFixture(t, 1, 1)
	ctx := context.Background()
	ws := f.open(t)
	if _, err := ws.Accounts.MigrateSecrets(ctx, mp.MigrateOptions{To: "vault"}); mp.CodeOf(err) != mp.CodeInvalidArgument {
		t.Fatalf("MigrateSecrets(vault) = %v, want INVALID_ARGUMENT", err)
	}
	if _, err := ws.Accounts.MigrateSecrets(ctx, mp.MigrateOptions{To: "file", Account: "ghost"}); !errors.Is(err, mp.CodeAccountNotFound) {
		t.Fatalf("MigrateSecrets(file, ghost) = %v, want ACCOUNT_NOT_FOUND", err)
	}
	res, err := ws.Accounts.MigrateSecrets(ctx, mp.MigrateOptions{To: "file", Account: "fleet-0"})
	if err != nil || res.To != "file" || len(res.Accounts) != 1 || res.Accounts[0].Account != "fleet-0" {
		t.Fatalf("MigrateSecrets(file, fleet-0) = %+v, %v", res, err)
	}
	if r, err := ws.Accounts.Test(ctx, "fleet-0"); err != nil || !r.OK {
		t.Fatalf("after the migration, Test = %+v, %v", r, err)
	}
}
