package filestore_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/mpdata/mp/domain"
)

// A 0.3.x config of every account kind converts: names, credentials,
// regions and projects carried over, the default account active with its
// workspace, unknown tables kept, the old bytes saved as
// config.toml.v03.bak (0600); the result loads.
func TestMigrateLegacyConvertsEveryKind(t *testing.T) {
	legacy := `config_version = 1
default = "prod"

[credentials.prod]
username = "prod-sa"
secret = "s3cret"
project_id = "3018488"
region = "us"
workspace_id = 3018490

[credentials.tok]
token = "inline-token"
project_id = 42
region = "eu"

[credentials.ci]
token_env = "MP_CI_TOKEN"
region = "in"

[credentials.me]
type = "oauth_browser"
region = "us"
project_id = "7"

[plugins]
x = 1
`
	e := newEnv(t)
	e.write(t, legacy)
	s := e.store()
	r, err := s.MigrateLegacy(context.Background(), false)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Accounts) != 4 || r.Workspace != 3018490 || r.DryRun {
		t.Fatalf("report = %+v", r)
	}
	backup, err := os.ReadFile(e.path + ".v03.bak")
	if err != nil || string(backup) != legacy {
		t.Fatalf("backup = %q, %v", backup, err)
	}
	if fi, _ := os.Stat(e.path + ".v03.bak"); fi.Mode().Perm() != 0o600 {
		t.Errorf("backup mode %v, want 0600", fi.Mode().Perm())
	}
	cfg, err := s.Load(context.Background())
	if err != nil {
		t.Fatalf("the migrated config does not load: %v", err)
	}
	want := map[domain.AccountName]struct {
		typ     domain.AccountType
		region  domain.Region
		project domain.ProjectID
	}{
		"prod": {domain.TypeServiceAccount, "us", "3018488"},
		"tok":  {domain.TypeOAuthToken, "eu", "42"},
		"ci":   {domain.TypeOAuthToken, "in", ""},
		"me":   {domain.TypeOAuthBrowser, "us", "7"},
	}
	for name, w := range want {
		a, ok := cfg.Account(name)
		if !ok || a.Type != w.typ || a.Region != w.region || a.DefaultProject != w.project {
			t.Errorf("account %s = %+v (found %t), want %+v", name, a, ok, w)
		}
	}
	if a, _ := cfg.Account("prod"); a.Username != "prod-sa" || a.Secret.Reveal() != "s3cret" {
		t.Errorf("prod credentials not carried over")
	}
	if a, _ := cfg.Account("ci"); a.TokenEnv != "MP_CI_TOKEN" {
		t.Errorf("ci token_env = %q", a.TokenEnv)
	}
	if act := cfg.Active(); act.Account != "prod" || act.Workspace != 3018490 {
		t.Errorf("active = %+v", act)
	}
	if got := string(e.read(t)); !strings.Contains(got, "[plugins]") || strings.Contains(got, "config_version") {
		t.Errorf("unknown table not kept, or the version marker kept:\n%s", got)
	}
	// Once converted there is nothing to migrate, and the backup is never overwritten.
	if _, err := s.MigrateLegacy(context.Background(), false); domain.CodeOf(err) != domain.CodeConfigError {
		t.Fatalf("second migration: %v", err)
	}
	for _, n := range e.entries(t) {
		if n != "config.toml" && n != "config.toml.lock" && n != "config.toml.v03.bak" {
			t.Errorf("unexpected file %s left", n)
		}
	}
}

// A dry run reports the same conversion and writes nothing.
func TestMigrateLegacyDryRunWritesNothing(t *testing.T) {
	e := newEnv(t)
	data := e.writeFixture(t, "legacy-default.toml")
	before := e.entries(t)
	r, err := e.store().MigrateLegacy(context.Background(), true)
	if err != nil {
		t.Fatal(err)
	}
	if !r.DryRun || len(r.Accounts) != 2 || !r.Accounts[0].Active {
		t.Fatalf("report = %+v", r)
	}
	if got := e.read(t); string(got) != string(data) {
		t.Fatal("a dry run changed the file")
	}
	if after := e.entries(t); strings.Join(after, ",") != strings.Join(before, ",") && strings.Join(after, ",") != strings.Join(append(before, "config.toml.lock"), ",") {
		t.Fatalf("a dry run created files: %v → %v", before, after)
	}
}

// What cannot be converted is listed, all at once, and nothing changes.
func TestMigrateLegacyRefusesWhatItCannotConvert(t *testing.T) {
	cases := map[string]struct{ content, want string }{
		"projects without credentials": {"config_version = 1\n[projects.main]\nproject_id = \"1\"\nregion = \"eu\"\n", "[projects.main]"},
		"no region":                    {"default = \"a\"\n[credentials.a]\nusername = \"u\"\nsecret = \"s\"\n", "no region"},
		"no credentials, no type":      {"config_version = 1\n[credentials.a]\nregion = \"us\"\n", "its type cannot be told"},
		"unknown key":                  {"config_version = 1\n[credentials.a]\nusername = \"u\"\nsecret = \"s\"\nregion = \"us\"\nscopes = \"x\"\n", "key scopes has no place"},
		"default names nobody":         {"default = \"ghost\"\n[credentials.a]\nusername = \"u\"\nsecret = \"s\"\nregion = \"us\"\n", "names no account"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t)
			e.write(t, c.content)
			_, err := e.store().MigrateLegacy(context.Background(), false)
			assertError(t, err, domain.CodeInvalidArgument, c.want)
			if got := e.read(t); string(got) != c.content {
				t.Fatal("a refused migration changed the file")
			}
			if _, err := os.Stat(e.path + ".v03.bak"); !os.IsNotExist(err) {
				t.Fatal("a refused migration wrote a backup")
			}
		})
	}
}
