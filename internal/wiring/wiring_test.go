package wiring_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.uber.org/zap"

	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/internal/wiring"
	"github.com/mpdata/mp/ports/inmem"
)

// TestNewAppOverTempDir builds the real App over a temporary home and adds
// and lists an account through it, then checks the file on disk.
func TestNewAppOverTempDir(t *testing.T) {
	ctx := context.Background()
	home := t.TempDir()
	env := inmem.Env{}
	cfgPath, storage := wiring.Paths(env, home)
	a, err := wiring.NewApp(cfgPath, storage, wiring.HomeDir(home), "", "", "", env, zap.NewNop())
	if err != nil {
		t.Fatalf("NewApp: %v", err)
	}
	const secret = "wiring-secret-0b9d7e3f"
	res, err := a.Accounts.Add(ctx, domain.Account{
		Name: "prod", Type: domain.TypeServiceAccount, Region: domain.RegionEU, DefaultProject: "12345",
		Username: "svc.user", Secret: domain.NewSecret(secret),
	})
	if err != nil {
		t.Fatalf("Add: %v", err)
	}
	if !res.Promoted {
		t.Fatal("first account not promoted")
	}
	list, err := a.Accounts.List(ctx)
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	if len(list) != 1 || list[0].Name != "prod" || !list[0].IsActive || list[0].Region != "eu" {
		t.Fatalf("List = %+v", list)
	}
	raw, err := os.ReadFile(filepath.Join(home, ".mp", "config.toml"))
	if err != nil {
		t.Fatalf("config not written at the default path: %v", err)
	}
	if !strings.Contains(string(raw), "prod") {
		t.Fatalf("config does not hold the account:\n%s", raw)
	}

	// A second App over the same paths sees the account.
	b, err := wiring.NewApp(cfgPath, storage, wiring.HomeDir(home), "", "", "", env, nil)
	if err != nil {
		t.Fatalf("NewApp: %v", err)
	}
	view, err := b.Sessions.Show(ctx, domain.Selection{}, false)
	if err != nil {
		t.Fatalf("Sessions.Show: %v", err)
	}
	if view.Account.Name != "prod" || view.Project.ID != "12345" {
		t.Fatalf("session = %+v", view)
	}
	if _, err := b.Accounts.Remove(ctx, "prod", false); err != nil {
		t.Fatalf("Remove: %v", err)
	}
	if list, _ := b.Accounts.List(ctx); len(list) != 0 {
		t.Fatalf("List after remove = %+v", list)
	}
}
