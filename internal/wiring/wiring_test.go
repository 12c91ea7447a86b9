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

// TestBuildOverTempDir is the smoke test of the real injector: Build over
// settings resolved for a temporary home adds and lists an account, and
// the file lands on disk.
func TestBuildOverTempDir(t *testing.T) {
	ctx := context.Background()
	home := t.TempDir()
	env := inmem.Env{}
	s := wiring.Resolve(env, home)
	s.Log = zap.NewNop()
	a, err := wiring.Build(s)
	if err != nil {
		t.Fatalf("Build: %v", err)
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
	b, err := wiring.NewFileApp(wiring.Settings{ConfigPath: s.ConfigPath, StorageDir: s.StorageDir})
	if err != nil {
		t.Fatalf("Build: %v", err)
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

// TestBuildRefuses: settings without paths or with an unknown secret
// backend are CONFIG_ERROR, and nothing is built.
func TestBuildRefuses(t *testing.T) {
	dir := t.TempDir()
	ok := wiring.Settings{ConfigPath: wiring.ConfigPath(filepath.Join(dir, "c.toml")), StorageDir: wiring.StorageDir(dir)}
	for _, tt := range []struct {
		name string
		edit func(*wiring.Settings)
		want string
	}{
		{"no config path", func(s *wiring.Settings) { s.ConfigPath = "" }, "no config path"},
		{"no storage dir", func(s *wiring.Settings) { s.StorageDir = "" }, "no config path or storage"},
		{"unknown backend", func(s *wiring.Settings) { s.SecretBackend = "vault" }, `unknown secret backend "vault"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := ok
			tt.edit(&s)
			a, err := wiring.Build(s)
			if a != nil || domain.CodeOf(err) != domain.CodeConfigError || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Build = %v, %v; want CONFIG_ERROR containing %q", a, err, tt.want)
			}
		})
	}
	if a, err := wiring.Build(ok); err != nil || a == nil {
		t.Fatalf("Build with both paths and the default backend = %v, %v", a, err)
	}
}

// TestResolve: the settings come from the environment and the home
// directory, with no explicit secret backend (each write then follows
// the config's setting, else file).
func TestResolve(t *testing.T) {
	env := inmem.Env{
		"MP_CONFIG_PATH": "~/cfg/mp.toml", "MP_OAUTH_STORAGE_DIR": "/var/mp",
		"MP_API_BASE_URL": " http://127.0.0.1:9 ", "MP_BROWSER": "firefox",
	}
	got := wiring.Resolve(env, "/home/u")
	want := wiring.Settings{
		ConfigPath: "/home/u/cfg/mp.toml", StorageDir: "/var/mp", Home: "/home/u",
		APIBaseURL: "http://127.0.0.1:9", Browser: "firefox", SecretBackend: "", Env: env,
	}
	if got.ConfigPath != want.ConfigPath || got.StorageDir != want.StorageDir || got.Home != want.Home ||
		got.APIBaseURL != want.APIBaseURL || got.Browser != want.Browser || got.SecretBackend != want.SecretBackend || got.Env == nil {
		t.Fatalf("Resolve = %+v, want %+v", got, want)
	}
	if s := wiring.Resolve(nil, "/h"); s.ConfigPath != "/h/.mp/config.toml" || s.StorageDir != "/h/.mp" {
		t.Fatalf("Resolve(nil env) = %+v", s)
	}
}
