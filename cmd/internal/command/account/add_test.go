package account

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"

	"github.com/mpdata/mp/cmd/internal/command/commandtest"
	"github.com/mpdata/mp/cmd/internal/render"
	"github.com/mpdata/mp/domain"
)

func TestAddFlagsCaptured(t *testing.T) {
	env := commandtest.New(domain.Config{}, nil)
	var got *AddOptions
	cmd := commandtest.Group("account", NewCmdAdd(env.Factory, func(_ context.Context, o *AddOptions) error {
		got = o
		return nil
	}))
	err := commandtest.Run(env.Factory, []*cli.Command{cmd},
		"account", "add", "team", "--type", "service_account", "--region", "us", "--username", "u1",
		"--secret-stdin", "-p", "3018488", "-f", "json")
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "team" || got.Type != "service_account" || got.Region != "us" || got.Username != "u1" ||
		!got.SecretStdin || got.Project != "3018488" || got.Format != render.JSON || got.TokenStdin || got.TokenEnv != "" {
		t.Errorf("options = %+v", got)
	}
	for _, f := range []string{flagType, flagRegion, flagUsername, flagSecretStdin, flagProject} {
		if !got.Set[f] {
			t.Errorf("Set[%s] = false", f)
		}
	}
	if got.Set[flagTokenEnv] || got.Set[flagTokenStdin] {
		t.Errorf("Set = %v: token flags were not given", got.Set)
	}
}

func TestAddRejectsSecretFlags(t *testing.T) {
	for _, flag := range []string{"--secret", "--token", "--password"} {
		env := commandtest.New(domain.Config{}, nil)
		cmd := commandtest.Group("account", NewCmdAdd(env.Factory, nil))
		err := commandtest.Run(env.Factory, []*cli.Command{cmd},
			"account", "add", "x", "--type", "service_account", "--region", "us", flag, "hunter2")
		var de *domain.Error
		if !errors.As(err, &de) || de.Code != domain.CodeInvalidArgument {
			t.Fatalf("%s: %v, want INVALID_ARGUMENT", flag, err)
		}
		if !strings.Contains(de.Hint, "-stdin") || strings.Contains(de.Error(), "hunter2") {
			t.Errorf("%s: message %q hint %q", flag, de.Error(), de.Hint)
		}
	}
}

// addCase runs addRun over an empty config (or cfg) with stdin and env.
type addCase struct {
	opts   AddOptions
	stdin  string
	env    map[string]string
	prompt func() ([]byte, error) // non-nil: stdin is a terminal
	setup  func(*commandtest.Env) // non-nil: prepares the environment (the API's credentials)
}

func (c addCase) run(t *testing.T, cfg domain.Config) (*commandtest.Env, error) {
	t.Helper()
	env := commandtest.New(cfg, c.env)
	env.Stdin.WriteString(c.stdin)
	if c.setup != nil {
		c.setup(env)
	}
	if c.prompt != nil {
		env.IO.SetTTY(true, true, true)
		env.IO.SetHiddenReader(c.prompt)
	}
	o := c.opts
	o.IO, o.Env, o.App = env.IO, env.Factory.Env, env.Factory.App
	if o.Format == "" {
		o.Format = render.Table
	}
	if o.Set == nil {
		o.Set = map[string]bool{}
		for k, v := range map[string]bool{
			flagType: o.Type != "", flagRegion: o.Region != "", flagProject: o.Project != "", flagUsername: o.Username != "",
			flagSecretStdin: o.SecretStdin, flagTokenEnv: o.TokenEnv != "", flagTokenStdin: o.TokenStdin,
		} {
			if v {
				o.Set[k] = true
			}
		}
	}
	return env, addRun(context.Background(), &o)
}

func stored(t *testing.T, env *commandtest.Env, name domain.AccountName) domain.Account {
	t.Helper()
	cfg, err := env.Store.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	a, err := cfg.LookupAccount(name)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func sa(name string) AddOptions {
	return AddOptions{Name: name, Type: "service_account", Region: "us", Username: "u", NoVerify: true}
}

func TestAddServiceAccountSecretSources(t *testing.T) {
	t.Run("stdin, trailing newline trimmed", func(t *testing.T) {
		o := sa("team")
		o.SecretStdin = true
		env, err := addCase{opts: o, stdin: "pw-from-stdin\n", env: map[string]string{"MP_SECRET": "ignored"}}.run(t, domain.Config{})
		if err != nil {
			t.Fatal(err)
		}
		if got := stored(t, env, "team").Secret.Reveal(); got != "pw-from-stdin" {
			t.Errorf("secret = %q", got)
		}
		if env.Stdout.String() != "Added account 'team' (service_account, us). Set as active.\n" {
			t.Errorf("stdout = %q", env.Stdout.String())
		}
	})
	t.Run("CRLF trimmed", func(t *testing.T) {
		o := sa("team")
		o.SecretStdin = true
		env, err := addCase{opts: o, stdin: "pw\r\n"}.run(t, domain.Config{})
		if err != nil {
			t.Fatal(err)
		}
		if got := stored(t, env, "team").Secret.Reveal(); got != "pw" {
			t.Errorf("secret = %q", got)
		}
	})
	t.Run("empty stdin", func(t *testing.T) {
		o := sa("team")
		o.SecretStdin = true
		_, err := addCase{opts: o, stdin: "\n"}.run(t, domain.Config{})
		if domain.CodeOf(err) != domain.CodeInvalidArgument {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("MP_SECRET", func(t *testing.T) {
		env, err := addCase{opts: sa("team"), env: map[string]string{"MP_SECRET": "pw-env"}}.run(t, domain.Config{})
		if err != nil {
			t.Fatal(err)
		}
		if got := stored(t, env, "team").Secret.Reveal(); got != "pw-env" {
			t.Errorf("secret = %q", got)
		}
		if !strings.Contains(env.Stderr.String(), "MP_SECRET") || strings.Contains(env.Stderr.String(), "pw-env") {
			t.Errorf("stderr = %q", env.Stderr.String())
		}
	})
	t.Run("hidden prompt on a terminal", func(t *testing.T) {
		env, err := addCase{opts: sa("team"), prompt: func() ([]byte, error) { return []byte("pw-typed"), nil }}.run(t, domain.Config{})
		if err != nil {
			t.Fatal(err)
		}
		if got := stored(t, env, "team").Secret.Reveal(); got != "pw-typed" {
			t.Errorf("secret = %q", got)
		}
		if !strings.Contains(env.Stderr.String(), "Secret for service account 'team': ") || strings.Contains(env.Stderr.String()+env.Stdout.String(), "pw-typed") {
			t.Errorf("stderr = %q", env.Stderr.String())
		}
	})
	t.Run("nothing available is a usage error", func(t *testing.T) {
		env, err := addCase{opts: sa("team")}.run(t, domain.Config{})
		var de *domain.Error
		if !errors.As(err, &de) || de.Code != domain.CodeInvalidArgument || !strings.Contains(de.Hint, "--secret-stdin") {
			t.Fatalf("err = %v", err)
		}
		if cfg, _ := env.Store.Load(context.Background()); !cfg.IsEmpty() {
			t.Error("config changed")
		}
	})
}

func TestAddValidation(t *testing.T) {
	tests := []struct {
		name  string
		opts  AddOptions
		stdin string
		env   map[string]string
		want  string // substring of the error (message or hint)
	}{
		{"no type", AddOptions{Name: "a", Region: "us"}, "", nil, "--type"},
		{"bad type", AddOptions{Name: "a", Type: "basic", Region: "us"}, "", nil, "flag --type"},
		{"no region (browser: nothing to probe with)", AddOptions{Name: "a", Type: "oauth_browser"}, "", nil, "needs --region for an oauth_browser"},
		{"bad region", AddOptions{Name: "a", Type: "oauth_browser", Region: "US"}, "", nil, "flag --region"},
		{"bad name", AddOptions{Name: "a/b", Type: "oauth_browser", Region: "us"}, "", nil, "account name"},
		{"bad project", AddOptions{Name: "a", Type: "oauth_browser", Region: "us", Project: "p1"}, "", nil, "flag --project"},
		{"no username", AddOptions{Name: "a", Type: "service_account", Region: "us", SecretStdin: true}, "pw", nil, "--username"},
		{"token flag on a service account", AddOptions{Name: "a", Type: "service_account", Region: "us", Username: "u", TokenEnv: "X"}, "", nil, "--token-env does not apply"},
		{"secret flag on a token account", AddOptions{Name: "a", Type: "oauth_token", Region: "us", SecretStdin: true}, "pw", nil, "--secret-stdin does not apply"},
		{"username on a browser account", AddOptions{Name: "a", Type: "oauth_browser", Region: "us", Username: "u"}, "", nil, "--username does not apply"},
		{"token account without a source", AddOptions{Name: "a", Type: "oauth_token", Region: "us"}, "", map[string]string{"MP_OAUTH_TOKEN": "tok"}, "--token-env or --token-stdin"},
		{"both token sources", AddOptions{Name: "a", Type: "oauth_token", Region: "us", TokenEnv: "X", TokenStdin: true}, "tok", nil, "cannot be used together"},
		{"bad token env name", AddOptions{Name: "a", Type: "oauth_token", Region: "us", TokenEnv: "1X"}, "", nil, "flag --token-env"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env, err := addCase{opts: tt.opts, stdin: tt.stdin, env: tt.env}.run(t, domain.Config{})
			var de *domain.Error
			if !errors.As(err, &de) || de.Code != domain.CodeInvalidArgument {
				t.Fatalf("err = %v, want INVALID_ARGUMENT", err)
			}
			if !strings.Contains(de.Message+" "+de.Hint, tt.want) {
				t.Errorf("error %q / hint %q does not mention %q", de.Message, de.Hint, tt.want)
			}
			if cfg, _ := env.Store.Load(context.Background()); !cfg.IsEmpty() {
				t.Error("config changed")
			}
		})
	}
}

func TestAddTokenAccounts(t *testing.T) {
	t.Run("token-env", func(t *testing.T) {
		o := AddOptions{Name: "ci", Type: "oauth_token", Region: "eu", TokenEnv: "MP_CI_TOKEN", Project: "42"}
		env, err := addCase{opts: o, env: map[string]string{"MP_OAUTH_TOKEN": "must-not-be-captured"}}.run(t, domain.Config{})
		if err != nil {
			t.Fatal(err)
		}
		a := stored(t, env, "ci")
		if a.TokenEnv != "MP_CI_TOKEN" || !a.Token.IsZero() || a.DefaultProject != "42" {
			t.Errorf("stored %#v", a)
		}
		if !strings.Contains(env.Stderr.String(), "$MP_CI_TOKEN is not set") {
			t.Errorf("stderr = %q", env.Stderr.String())
		}
	})
	t.Run("token-stdin", func(t *testing.T) {
		o := AddOptions{Name: "ci", Type: "oauth_token", Region: "eu", TokenStdin: true, Format: render.JSON, NoVerify: true}
		_, err := addCase{opts: o, stdin: "tok-123\n"}.run(t, fixture(t))
		if err == nil || domain.CodeOf(err) != domain.CodeAccountExists {
			t.Fatalf("adding an existing name: %v", err)
		}
		o.Name = "ci2"
		env, err := addCase{opts: o, stdin: "tok-123\n"}.run(t, fixture(t))
		if err != nil {
			t.Fatal(err)
		}
		if got := stored(t, env, "ci2").Token.Reveal(); got != "tok-123" {
			t.Errorf("token = %q", got)
		}
		want := `{
  "account": {
    "name": "ci2",
    "type": "oauth_token",
    "region": "eu",
    "default_project": null,
    "is_active": false,
    "referenced_by_targets": [],
    "secret_store": "config"
  },
  "promoted": false
}
`
		if env.Stdout.String() != want {
			t.Errorf("stdout:\n%s", env.Stdout.String())
		}
		if strings.Contains(env.Stdout.String()+env.Stderr.String(), "tok-123") {
			t.Error("token printed")
		}
	})
	t.Run("browser, not promoted", func(t *testing.T) {
		o := AddOptions{Name: "me", Type: "oauth_browser", Region: "in"}
		env, err := addCase{opts: o}.run(t, fixture(t))
		if err != nil {
			t.Fatal(err)
		}
		if env.Stdout.String() != "Added account 'me' (oauth_browser, in).\n" {
			t.Errorf("stdout = %q", env.Stdout.String())
		}
	})
	t.Run("plain and csv", func(t *testing.T) {
		for f, want := range map[render.Format]string{
			render.Plain: "me\toauth_browser\tin\t\ttrue\t\tfile\ttrue\n",
			render.CSV:   "name,type,region,default_project,is_active,referenced_by_targets,secret_store,promoted\nme,oauth_browser,in,,true,,file,true\n",
		} {
			env, err := addCase{opts: AddOptions{Name: "me", Type: "oauth_browser", Region: "in", Format: f}}.run(t, domain.Config{})
			if err != nil {
				t.Fatal(err)
			}
			if env.Stdout.String() != want {
				t.Errorf("%s: stdout %q, want %q", f, env.Stdout.String(), want)
			}
		}
	})
}
