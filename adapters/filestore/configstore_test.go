package filestore_test

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/pelletier/go-toml/v2"

	"github.com/mpdata/mp/adapters/filestore"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
	"github.com/mpdata/mp/ports/porttest"
)

var update = flag.Bool("update", false, "rewrite the testdata/*.golden files")

func TestConfigStoreContract(t *testing.T) {
	porttest.ConfigStore{
		New: func(t *testing.T) ports.ConfigStore { return newEnv(t).store() },
		Reopen: func(t *testing.T, s ports.ConfigStore) ports.ConfigStore {
			path := s.(*filestore.ConfigStore).Path()
			return filestore.NewConfigStore(path, filepath.Dir(filepath.Dir(path)))
		},
	}.Run(t)
}

func TestLoadSeedFixture(t *testing.T) {
	e := newEnv(t)
	e.writeFixture(t, "seed.toml")
	got, err := e.store().Load(context.Background())
	if err != nil {
		t.Fatalf("Load(seed.toml): %v", err)
	}
	want, err := domain.NewConfig(domain.ConfigData{
		Accounts: []domain.Account{
			{Name: "ci", Type: domain.TypeOAuthToken, Region: domain.RegionUS, DefaultProject: "3713224", TokenEnv: "MP_CI_TOKEN"},
			{Name: "personal", Type: domain.TypeOAuthBrowser, Region: domain.RegionUS, DefaultProject: "3713224"},
			{
				Name: "team", Type: domain.TypeServiceAccount, Region: domain.RegionUS, DefaultProject: "3018488",
				Username: "team-mp...", Secret: domain.NewSecret("..."),
			},
		},
		Targets:  []domain.Target{{Name: "ecom", Account: "team", Project: "3018488", Workspace: 3448414}},
		Active:   domain.Active{Account: "personal", Workspace: 3448414},
		Settings: domain.Settings{CustomHeader: &domain.Header{Name: "X-Mixpanel-Cluster", Value: "internal-1"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !porttest.EqualConfigs(got, want) {
		t.Fatalf("Load(seed.toml) = %+v, want %+v", got.Data(), want.Data())
	}
	if team, _ := got.Account("team"); !team.Secret.Equal(domain.NewSecret("...")) {
		t.Fatal("the service account's secret was not loaded")
	}
}

func TestMissingOrEmptyFileIsEmptyConfig(t *testing.T) {
	tests := []struct {
		name    string
		content *string
	}{
		{"missing", nil},
		{"zero bytes", ptr("")},
		{"comments and blank lines", ptr("# nothing yet\n\n   \n")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			if tt.content != nil {
				e.write(t, *tt.content)
			}
			cfg, err := e.store().Load(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if !cfg.IsEmpty() {
				t.Fatalf("Load = %+v, want an empty config", cfg.Data())
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

func TestUpdateCreatesPrivateFileAndDirectory(t *testing.T) {
	home := t.TempDir()
	path := filepath.Join(home, ".mp", "nested", "config.toml")
	s := filestore.NewConfigStore(path, home)
	err := s.Update(context.Background(), func(c *domain.Config) error {
		_, err := c.AddAccount(sa("team", "pw"))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]os.FileMode{
		filepath.Join(home, ".mp"): 0o700,
		filepath.Dir(path):         0o700,
		path:                       0o600,
		path + ".lock":             0o600,
	} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != want {
			t.Errorf("%s: mode %04o, want %04o", p, fi.Mode().Perm(), want)
		}
	}
}

// TestGoldenRewrite loads fixtures, applies a mutation, and compares the
// written file with testdata/<name>.golden (go test -update rewrites them).
func TestGoldenRewrite(t *testing.T) {
	tests := []struct {
		fixture string
		mutate  func(*domain.Config) error
	}{
		{"seed.toml", func(c *domain.Config) error {
			if _, err := c.AddAccount(domain.Account{Name: "eu-team", Type: domain.TypeServiceAccount, Region: domain.RegionEU, Username: "eu.sa", Secret: domain.NewSecret(`p"a'ss\word`)}); err != nil {
				return err
			}
			return c.UseAccount("team")
		}},
		{"unknown.toml", func(c *domain.Config) error {
			if _, err := c.AddAccount(domain.Account{Name: "ci", Type: domain.TypeOAuthToken, Region: domain.RegionIN, TokenEnv: "MP_CI_TOKEN"}); err != nil {
				return err
			}
			if err := c.AddTarget(domain.Target{Name: "prod", Account: "team", Project: "42", Workspace: 7}); err != nil {
				return err
			}
			if _, err := c.UseTarget("prod"); err != nil {
				return err
			}
			return c.SetCustomHeader(&domain.Header{Name: "X-Team", Value: "beta \"quoted\""})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			e := newEnv(t)
			original := e.writeFixture(t, tt.fixture)
			s := e.store()
			if err := s.Update(context.Background(), tt.mutate); err != nil {
				t.Fatalf("Update: %v", err)
			}
			got := e.read(t)
			golden := filepath.Join("testdata", tt.fixture+".golden")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("written file differs from %s:\n--- got\n%s\n--- want\n%s", golden, got, want)
			}

			// The unknown parts are preserved exactly (values and types).
			assertSameUnknowns(t, original, got)

			// What was written loads back as the mutated config.
			var wantCfg domain.Config
			{
				e2 := newEnv(t)
				e2.write(t, string(original))
				c, err := e2.store().Load(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				if err := tt.mutate(&c); err != nil {
					t.Fatal(err)
				}
				wantCfg = c
			}
			loaded, err := s.Load(context.Background())
			if err != nil {
				t.Fatalf("Load after rewrite: %v", err)
			}
			if !porttest.EqualConfigs(loaded, wantCfg) {
				t.Fatalf("reloaded %+v, want %+v", loaded.Data(), wantCfg.Data())
			}

			// Rewriting the rewritten file changes nothing.
			if err := s.Update(context.Background(), func(*domain.Config) error { return nil }); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(e.read(t), got) {
				t.Fatal("a no-op Update changed the file")
			}
		})
	}
}

// assertSameUnknowns compares everything outside the known schema in two
// TOML documents, decoded generically.
func assertSameUnknowns(t *testing.T, before, after []byte) {
	t.Helper()
	strip := func(data []byte) map[string]any {
		var m map[string]any
		if err := toml.Unmarshal(data, &m); err != nil {
			t.Fatalf("file does not parse: %v", err)
		}
		for _, k := range []string{"active", "accounts", "targets"} {
			delete(m, k)
		}
		if s, ok := m["settings"].(map[string]any); ok {
			delete(s, "custom_header")
		}
		return m
	}
	b, a := strip(before), strip(after)
	if !reflect.DeepEqual(normalizeTimes(b), normalizeTimes(a)) {
		t.Fatalf("unknown keys changed:\n before %#v\n after  %#v", b, a)
	}
}

// normalizeTimes replaces time.Time values with their RFC 3339 text so
// that DeepEqual does not compare *time.Location pointers.
func normalizeTimes(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, x := range v {
			out[k] = normalizeTimes(x)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = normalizeTimes(x)
		}
		return out
	case interface{ MarshalText() ([]byte, error) }:
		b, _ := v.MarshalText()
		return string(b) + "|" + reflect.TypeOf(v).String()
	}
	return v
}

func TestNoOpUpdateKeepsFileAsWritten(t *testing.T) {
	e := newEnv(t)
	original := e.writeFixture(t, "seed.toml") // has comments
	if err := e.store().Update(context.Background(), func(*domain.Config) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(e.read(t), original) {
		t.Fatal("an Update that changed nothing rewrote the file")
	}
}

func TestSyntaxErrorNamesPathLineColumnAndIsNeverOverwritten(t *testing.T) {
	e := newEnv(t)
	content := "[active]\naccount = \"team\"\n\n[accounts.team\ntype = \"oauth_browser\"\n"
	e.write(t, content)
	s := e.store()

	_, err := s.Load(context.Background())
	de := assertError(t, err, domain.CodeConfigError, e.path, "line 4, column 15")
	if de.Details["line"] != 4 || de.Details["column"] != 15 || de.Details["file"] != e.path {
		t.Errorf("details = %v, want file, line 4 and column 15", de.Details)
	}
	if !errors.Is(err, domain.CodeConfigError) {
		t.Errorf("errors.Is(err, domain.CodeConfigError) is false for %v", err)
	}

	called := false
	err = s.Update(context.Background(), func(c *domain.Config) error {
		called = true
		_, err := c.AddAccount(sa("new", "pw"))
		return err
	})
	assertError(t, err, domain.CodeConfigError, e.path, "line 4, column 15")
	if called {
		t.Error("Update called fn on a config it could not read")
	}
	if got := e.read(t); string(got) != content {
		t.Fatalf("file changed after a failed Update:\n%s", got)
	}
	e.assertNoTempFiles(t)
}

func TestValueErrorsNameFileTableKeyAndLine(t *testing.T) {
	tests := []struct {
		name      string
		content   string
		fragments []string
	}{
		{
			"bad region",
			"[accounts.team]\ntype = \"oauth_browser\"\nregion = \"mars\"\n",
			[]string{"line 3", "[accounts.team] region", `invalid region "mars"`},
		},
		{
			"workspace as string in active",
			"[active]\naccount = \"team\"\nworkspace = \"3448414\"\n",
			[]string{"line 3", "[active] workspace", "must be an integer, not a string", "workspace = 3448414"},
		},
		{
			"workspace as string in target",
			"[targets.ecom]\naccount = \"team\"\nproject = \"1\"\n\nworkspace = \"9\"\n",
			[]string{"line 5", "[targets.ecom] workspace", "must be an integer"},
		},
		{
			"zero workspace",
			"[active]\nworkspace = 0\n",
			[]string{"line 2", "[active] workspace", "positive integer"},
		},
		{
			"project as integer",
			"[accounts.a]\ntype = \"oauth_browser\"\nregion = \"us\"\ndefault_project = 3713224\n",
			[]string{"line 4", "[accounts.a] default_project", "must be a string, not an integer", `default_project = "123"`},
		},
		{
			"project not digits",
			"[targets.t]\naccount = \"a\"\nproject = \"abc\"\n",
			[]string{"line 3", "[targets.t] project", "digits"},
		},
		{
			"unknown key in account",
			"[accounts.a]\ntype = \"oauth_browser\"\nregion = \"us\"\ncolour = \"blue\"\n",
			[]string{"line 4", "[accounts.a] colour", "unknown key", "default_project"},
		},
		{
			"unknown key in target",
			"[targets.t]\naccount = \"a\"\nproject = \"1\"\nnote = \"x\"\n",
			[]string{"line 4", "[targets.t] note", "unknown key"},
		},
		{
			"unknown key in active",
			"[active]\naccount = \"a\"\nproject = \"1\"\n",
			[]string{"line 3", "[active] project", "unknown key", "account, workspace"},
		},
		{
			"dotted unknown key in account",
			"accounts.a.type = \"oauth_browser\"\naccounts.a.region = \"us\"\naccounts.a.extra = 1\n",
			[]string{"line 3", "[accounts.a] extra", "unknown key"},
		},
		{
			"project_id next to a valid account",
			"[accounts.a]\ntype = \"oauth_browser\"\nregion = \"us\"\n\n[accounts.old]\ntype = \"oauth_browser\"\nregion = \"us\"\nproject_id = \"1\"\n",
			[]string{"line 8", "[accounts.old] project_id", "rename it to default_project"},
		},
		{
			"missing type",
			"[accounts.a]\nregion = \"us\"\n",
			[]string{"line 1", "[accounts.a]", "has no type"},
		},
		{
			"bad type",
			"[accounts.a]\ntype = \"password\"\nregion = \"us\"\n",
			[]string{"line 2", "[accounts.a] type", "service_account"},
		},
		{
			"missing region",
			"[accounts.a]\ntype = \"oauth_browser\"\n",
			[]string{"line 1", "[accounts.a]", "has no region"},
		},
		{
			"bad account name",
			"[accounts.\"has space\"]\ntype = \"oauth_browser\"\nregion = \"us\"\n",
			[]string{"line 1", `[accounts."has space"]`, "invalid account name"},
		},
		{
			"service account without secret",
			"[accounts.a]\ntype = \"service_account\"\nregion = \"us\"\nusername = \"u\"\n",
			[]string{"line 1", "[accounts.a]", "needs a secret"},
		},
		{
			"token and token_env",
			"[accounts.a]\ntype = \"oauth_token\"\nregion = \"us\"\ntoken = \"t\"\ntoken_env = \"T\"\n",
			[]string{"line 1", "[accounts.a]", "exactly one of token or token_env"},
		},
		{
			"account is not a table",
			"[accounts]\na = \"x\"\n",
			[]string{"line 2", "[accounts.a]", "must be a table, not a string"},
		},
		{
			"active is not a table",
			"active = \"a\"\n",
			[]string{"line 1", "[active]", "must be a table, not a string"},
		},
		{
			"target without project",
			"[targets.t]\naccount = \"a\"\n",
			[]string{"line 1", "[targets.t]", "has no project"},
		},
		{
			"custom header is a string",
			"[settings]\ncustom_header = \"X-A: b\"\n",
			[]string{"line 2", "[settings] custom_header", "must be a table", "name = "},
		},
		{
			"custom header without value",
			"[settings]\ncustom_header = { name = \"X-A\" }\n",
			[]string{"line 2", "[settings] custom_header", "has no value"},
		},
		{
			"custom header with bad name",
			"[settings]\ncustom_header = { name = \"bad name\", value = \"v\" }\n",
			[]string{"line 2", "[settings] custom_header.name", "is not a valid HTTP header name", "X-Team"},
		},
		{
			"custom header value with a line break",
			"[settings]\ncustom_header = { name = \"X-A\", value = \"a\\nb\" }\n",
			[]string{"line 2", "[settings] custom_header.value", "control character"},
		},
		{
			"custom header with unknown key",
			"[settings]\n\n[settings.custom_header]\nname = \"X-A\"\nvalue = \"v\"\nextra = 1\n",
			[]string{"line 6", "[settings] custom_header.extra", "unknown key"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.write(t, tt.content)
			_, err := e.store().Load(context.Background())
			assertError(t, err, domain.CodeConfigError, append([]string{"config file " + e.path}, tt.fragments...)...)
			// The hint is about the file: no flag can fix a file that does
			// not load.
			var de *domain.Error
			if errors.As(err, &de) && (de.Hint == "" || strings.Contains(de.Hint, "--")) {
				t.Errorf("hint %q: want a way to fix the file, not a flag", de.Hint)
			}

			err = e.store().Update(context.Background(), func(*domain.Config) error { return nil })
			assertError(t, err, domain.CodeConfigError, e.path)
			if string(e.read(t)) != tt.content {
				t.Fatal("Update rewrote a file it refused to read")
			}
		})
	}
}

func TestLegacyConfig(t *testing.T) {
	for _, fixture := range []string{"legacy-credentials.toml", "legacy-default.toml", "legacy-projects.toml"} {
		t.Run(fixture, func(t *testing.T) {
			e := newEnv(t)
			original := e.writeFixture(t, fixture)
			_, err := e.store().Load(context.Background())
			de := assertError(t, err, domain.CodeLegacyConfig, e.path, "0.3.x", "mp config migrate --dry-run", "then `mp config migrate`")
			if !errors.Is(err, domain.CodeLegacyConfig) {
				t.Error("errors.Is(err, domain.CodeLegacyConfig) is false")
			}
			if m, _ := de.Details["legacy_markers"].([]string); len(m) == 0 {
				t.Errorf("details %v do not list what looked legacy", de.Details)
			}
			err = e.store().Update(context.Background(), func(c *domain.Config) error {
				_, err := c.AddAccount(sa("new", "pw"))
				return err
			})
			assertError(t, err, domain.CodeLegacyConfig)
			if !bytes.Equal(e.read(t), original) {
				t.Fatal("Update overwrote a legacy file")
			}
		})
	}
}

func TestLegacyLeftoversNextToValidAccountsArePreserved(t *testing.T) {
	e := newEnv(t)
	e.write(t, "config_version = 1\ndefault = \"old\"\n\n[accounts.a]\ntype = \"oauth_browser\"\nregion = \"us\"\n\n[credentials.old]\nusername = \"u\"\n")
	s := e.store()
	cfg, err := s.Load(context.Background())
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if got := cfg.AccountNames(); len(got) != 1 || got[0] != "a" {
		t.Fatalf("accounts = %v, want [a]", got)
	}
	if err := s.Update(context.Background(), func(c *domain.Config) error { return c.UseAccount("a") }); err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := toml.Unmarshal(e.read(t), &m); err != nil {
		t.Fatal(err)
	}
	if m["config_version"] != int64(1) || m["default"] != "old" || m["credentials"] == nil {
		t.Fatalf("legacy leftovers not preserved: %v", m)
	}
}

func TestUnsafeConfigFileIsRefusedAndKept(t *testing.T) {
	tests := []struct {
		name      string
		setup     func(t *testing.T, e env)
		fragments []string
	}{
		{"mode 0644", func(t *testing.T, e env) {
			e.writeFixture(t, "seed.toml")
			if err := os.Chmod(e.path, 0o644); err != nil {
				t.Fatal(err)
			}
		}, []string{"0644", "chmod 600 "}},
		{"symlinked file", func(t *testing.T, e env) {
			e.writeFixture(t, "seed.toml")
			real := filepath.Join(e.home, "real.toml")
			if err := os.Rename(e.path, real); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(real, e.path); err != nil {
				t.Fatal(err)
			}
		}, []string{"symbolic link", "remove the symlink"}},
		{"dangling symlink", func(t *testing.T, e env) {
			if err := os.MkdirAll(e.dir, 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(filepath.Join(e.home, "gone.toml"), e.path); err != nil {
				t.Fatal(err)
			}
		}, []string{"dangling symbolic link", "remove the symlink"}},
		{"symlinked directory", func(t *testing.T, e env) {
			real := filepath.Join(e.home, "dotfiles-mp")
			if err := os.Mkdir(real, 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(real, e.dir); err != nil {
				t.Fatal(err)
			}
			e.writeFixture(t, "seed.toml")
		}, []string{"is a symbolic link", "replace the symlinked directory"}},
		{"oversize", func(t *testing.T, e env) {
			e.write(t, "# "+string(bytes.Repeat([]byte("x"), 1<<20))+"\n")
		}, []string{"1 MiB", "move it aside"}},
		{"directory", func(t *testing.T, e env) {
			if err := os.MkdirAll(e.path, 0o700); err != nil {
				t.Fatal(err)
			}
		}, []string{"a directory, not a regular file"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			tt.setup(t, e)
			before := snapshot(t, e.path)
			_, err := e.store().Load(context.Background())
			assertError(t, err, domain.CodeCredentialFileUnsafe, append([]string{e.path}, tt.fragments...)...)
			err = e.store().Update(context.Background(), func(c *domain.Config) error {
				_, err := c.AddAccount(sa("new", "pw"))
				return err
			})
			assertError(t, err, domain.CodeCredentialFileUnsafe, e.path)
			if after := snapshot(t, e.path); after != before {
				t.Fatalf("Update changed the refused file: %q -> %q", before, after)
			}
		})
	}
}

// snapshot describes what is at path without following a symlink.
func snapshot(t *testing.T, path string) string {
	t.Helper()
	fi, err := os.Lstat(path)
	if err != nil {
		return "absent"
	}
	if fi.Mode()&os.ModeSymlink != 0 {
		dest, _ := os.Readlink(path)
		return "symlink to " + dest
	}
	if fi.IsDir() {
		return "directory"
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().String() + " " + string(data)
}

func TestUpdateIntoReadOnlyDirectoryLeavesNoTrace(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root ignores directory permissions; internal/securefile injects the failure instead")
	}
	e := newEnv(t)
	e.writeFixture(t, "seed.toml")
	s := e.store()
	if err := s.Update(context.Background(), func(*domain.Config) error { return nil }); err != nil {
		t.Fatal(err) // creates the lock file while the directory is writable
	}
	before := e.read(t)
	if err := os.Chmod(e.dir, 0o500); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(e.dir, 0o700) })
	err := s.Update(context.Background(), func(c *domain.Config) error {
		_, err := c.AddAccount(sa("new", "pw"))
		return err
	})
	assertError(t, err, domain.CodeConfigError, "cannot write config file "+e.path)
	if !bytes.Equal(e.read(t), before) {
		t.Fatal("the file changed after a failed write")
	}
	e.assertNoTempFiles(t)
}

func TestNoOpUpdateOnMissingFileCreatesNothing(t *testing.T) {
	e := newEnv(t)
	if err := e.store().Update(context.Background(), func(*domain.Config) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(e.path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a no-op Update created %s: %v", e.path, err)
	}
}

// TestLoadSeesEveryChange: Load skips decoding only for identical bytes.
// A file rewritten behind the store's back (same size, even) is decoded
// again; a Config a caller changed does not leak into the next Load; and a
// file that became unsafe is refused even though its bytes were cached.
func TestLoadSeesEveryChange(t *testing.T) {
	e := newEnv(t)
	s := e.store()
	ctx := context.Background()
	e.write(t, "[accounts.aaaa]\ntype = \"service_account\"\nregion = \"us\"\nusername = \"u\"\nsecret = \"s\"\n")
	cfg, err := s.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := cfg.Account("aaaa"); !ok {
		t.Fatalf("first Load: no account aaaa in %+v", cfg.Data())
	}
	if _, err := cfg.AddAccount(sa("mutated", "pw")); err != nil {
		t.Fatal(err)
	}
	again, err := s.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := again.Account("mutated"); ok {
		t.Fatal("a caller's change to a loaded Config leaked into the next Load")
	}
	e.write(t, "[accounts.bbbb]\ntype = \"service_account\"\nregion = \"us\"\nusername = \"u\"\nsecret = \"s\"\n")
	changed, err := s.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := changed.Account("bbbb"); !ok {
		t.Fatalf("Load after a same-size rewrite: no account bbbb in %+v", changed.Data())
	}
	if err := os.Chmod(e.path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load(ctx); domain.CodeOf(err) != domain.CodeCredentialFileUnsafe {
		t.Fatalf("Load of a 0644 file with cached bytes = %v, want CREDENTIAL_FILE_UNSAFE", err)
	}
}
