package mp_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	mp "github.com/mpdata/mp"
	"github.com/mpdata/mp/mptest"
)

// TestInMemoryConfig: a handle opened with WithInMemoryConfig runs on the
// credentials it was given, whatever the real home holds (a config with
// another active account, a bridge, MP_ACCOUNT in the environment), and
// writes nothing anywhere: the home's files are byte for byte the same
// afterwards and no ~/.mp appears. Two such handles do not share state.
func TestInMemoryConfig(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, 2, 2)
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("MP_CONFIG_PATH", filepath.Join(f.dir, "config.toml"))
	t.Setenv("MP_OAUTH_STORAGE_DIR", filepath.Join(f.dir, "storage"))
	t.Setenv("MP_ACCOUNT", f.account(1))
	if _, err := f.open(t).Accounts.ExportBridge(ctx, mp.BridgeExport{To: filepath.Join(home, ".claude", "mixpanel", "auth.json"), Account: f.account(1)}); err != nil {
		t.Fatal(err)
	}
	before := snapshotTree(t, home, f.dir)

	sa := f.fleet[0]
	acct := mp.Account{
		Name: "static", Type: mp.TypeServiceAccount, Region: mp.RegionUS,
		DefaultProject: f.project(0, 1), Username: sa.Username, Secret: mp.NewSecret(sa.Secret),
	}
	ws, err := mp.Open(ctx, mp.WithInMemoryConfig(acct), mp.WithAPIBaseURL(f.srv.RegionURL()))
	if err != nil {
		t.Fatal(err)
	}
	if ws.Account() != "static" || ws.Project() != f.project(0, 1) {
		t.Fatalf("session %v, want static/%s (nothing of the real home or environment)", ws.Session(), f.project(0, 1))
	}
	if _, err := ws.Segmentation(ctx, f.queries); err != nil {
		t.Fatal(err)
	}
	if _, err := ws.Me(ctx); err != nil {
		t.Fatal(err)
	}
	if d, err := ws.Describe(ctx, mp.DescribeOptions{}); err != nil || d.BridgePath != "" || d.UserEmail == "" {
		t.Fatalf("Describe = %+v, %v; want no bridge and the cached /me user", d, err)
	}
	// The in-memory config works like a file one: add, persist, targets.
	other := f.fleet[1]
	if _, err := ws.Accounts.Add(ctx, mp.Account{
		Name: "second", Type: mp.TypeServiceAccount, Region: mp.RegionUS,
		DefaultProject: f.project(1, 0), Username: other.Username, Secret: mp.NewSecret(other.Secret),
	}); err != nil {
		t.Fatal(err)
	}
	if err := ws.Use(ctx, mp.WithAccount("second"), mp.Persist()); err != nil {
		t.Fatal(err)
	}
	if _, err := ws.Targets.Add(ctx, mp.Target{Name: "t", Account: "static", Project: f.project(0, 0)}); err != nil {
		t.Fatal(err)
	}
	if list, err := ws.Accounts.List(ctx); err != nil || len(list) != 2 || !list[0].IsActive || list[0].Name != "second" {
		t.Fatalf("List = %+v, %v", list, err)
	}
	// Another in-memory handle starts from its own accounts only.
	ws2, err := mp.Open(ctx, mp.WithInMemoryConfig(acct), mp.WithAPIBaseURL(f.srv.RegionURL()))
	if err != nil {
		t.Fatal(err)
	}
	if list, err := ws2.Accounts.List(ctx); err != nil || len(list) != 1 {
		t.Fatalf("a second in-memory handle lists %+v, %v; want its one account", list, err)
	}
	if after := snapshotTree(t, home, f.dir); strings.Join(after, "\n") != strings.Join(before, "\n") {
		t.Fatalf("files changed under the home or the config dir:\nbefore %v\nafter  %v", before, after)
	}
	if _, err := os.Stat(filepath.Join(home, ".mp")); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("~/.mp: %v; want none", err)
	}
}

// TestInMemoryConfigTokenEnv: an oauth_token account whose token lives in
// a variable reads it from WithEnv's map, never the process environment.
func TestInMemoryConfigTokenEnv(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, 1, 1)
	issued, err := f.srv.IssueTokens(mptest.RegionUS, mptest.UserJo)
	if err != nil {
		t.Fatal(err)
	}
	tok := issued.AccessToken
	t.Setenv("CI_TOKEN", "not-this-one")
	acct := mp.Account{Name: "ci", Type: mp.TypeOAuthToken, Region: mp.RegionUS, DefaultProject: "3018488", TokenEnv: "CI_TOKEN"}
	ws, err := mp.Open(ctx, mp.WithInMemoryConfig(acct), mp.WithEnv(map[string]string{"CI_TOKEN": tok}), mp.WithAPIBaseURL(f.srv.RegionURL()))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ws.Projects(ctx); err != nil {
		t.Fatalf("Projects with the token of WithEnv: %v", err)
	}
	ws, err = mp.Open(ctx, mp.WithInMemoryConfig(acct), mp.WithAPIBaseURL(f.srv.RegionURL()))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ws.Projects(ctx); mp.CodeOf(err) != mp.CodeConfigError || !strings.Contains(err.Error(), "CI_TOKEN") {
		t.Fatalf("Projects without WithEnv = %v; want CONFIG_ERROR naming CI_TOKEN (the process's value is not read)", err)
	}
}

// TestInMemoryConfigRefusals: an invalid account fails Open naming it, and
// options that name a place on disk cannot be combined.
func TestInMemoryConfigRefusals(t *testing.T) {
	ctx := context.Background()
	good := mp.Account{Name: "a", Type: mp.TypeServiceAccount, Region: mp.RegionUS, Username: "u", Secret: mp.NewSecret("s")}
	bad := mp.Account{Name: "b", Type: mp.TypeServiceAccount, Region: "mars", Username: "u", Secret: mp.NewSecret("s")}
	if _, err := mp.Open(ctx, mp.WithInMemoryConfig(good, bad)); mp.CodeOf(err) == "" || !strings.Contains(err.Error(), `account 2 ("b")`) {
		t.Fatalf("Open with an invalid account = %v; want an *mp.Error naming account 2", err)
	}
	if _, err := mp.Open(ctx, mp.WithInMemoryConfig(good, good)); !errors.Is(err, mp.CodeAccountExists) {
		t.Fatalf("Open with a duplicate account = %v; want ACCOUNT_EXISTS", err)
	}
	for name, opt := range map[string]mp.Option{
		"WithConfigPath": mp.WithConfigPath(filepath.Join(t.TempDir(), "c.toml")),
		"WithStorageDir": mp.WithStorageDir(t.TempDir()),
		"WithoutBridge":  mp.WithoutBridge(),
		"WithWorkDir":    mp.WithWorkDir(t.TempDir()),
	} {
		if _, err := mp.Open(ctx, mp.WithInMemoryConfig(good), opt); !errors.Is(err, mp.CodeInvalidArgument) || !strings.Contains(err.Error(), name) {
			t.Errorf("WithInMemoryConfig + %s = %v; want INVALID_ARGUMENT naming it", name, err)
		}
	}
	if _, err := mp.Open(ctx, mp.WithInMemoryConfig(good), mp.WithSecretBackend("keychain")); !errors.Is(err, mp.CodeConfigError) {
		t.Errorf("WithInMemoryConfig + WithSecretBackend(keychain) = %v; want CONFIG_ERROR", err)
	}
	// No account at all: a handle to add accounts with.
	ws, err := mp.Open(ctx, mp.WithInMemoryConfig())
	if err != nil || ws.Account() != "" {
		t.Fatalf("Open with no account = %v, %v", ws, err)
	}
}

// snapshotTree lists every file under the roots with its size, mode and
// content hash, sorted.
func snapshotTree(t *testing.T, roots ...string) []string {
	t.Helper()
	var out []string
	for _, root := range roots {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			info, err := d.Info()
			if err != nil {
				return err
			}
			line := p + " " + info.Mode().String()
			if d.Type().IsRegular() {
				b, err := os.ReadFile(p)
				if err != nil {
					return err
				}
				line += fmt.Sprintf(" %x", sha256.Sum256(b))
			}
			out = append(out, line)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	sort.Strings(out)
	return out
}
