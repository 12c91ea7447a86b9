package account

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"

	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/cmd/internal/command/commandtest"
	"github.com/mpdata/mp/domain"
)

// setupInput runs `mp login ARGS` up to the LoginInput it would pass to
// the app.
func setupInput(t *testing.T, env map[string]string, stdin string, args ...string) (app.LoginInput, string, error) {
	t.Helper()
	e := commandtest.New(domain.Config{}, env)
	e.Stdin.WriteString(stdin)
	var in app.LoginInput
	var buildErr error
	cmd := NewCmdSetupLogin(e.Factory, func(ctx context.Context, o *SetupLoginOptions) error {
		in, buildErr = buildLoginInput(ctx, o)
		return buildErr
	})
	err := commandtest.Run(e.Factory, []*cli.Command{cmd}, append([]string{"login"}, args...)...)
	return in, e.Stderr.String(), err
}

func TestSetupLoginTypeDetection(t *testing.T) {
	saEnv := map[string]string{"MP_USERNAME": "env-user", "MP_SECRET": saSecret}
	tests := []struct {
		name     string
		env      map[string]string
		stdin    string
		args     []string
		typ      domain.AccountType
		user     string
		secret   string
		tokenEnv string
		code     domain.Code
	}{
		{name: "nothing: browser", typ: domain.TypeOAuthBrowser},
		{
			name: "--service-account with stdin", stdin: saSecret + "\n", args: []string{"--service-account", "--username", "u1", "--secret-stdin"},
			typ: domain.TypeServiceAccount, user: "u1", secret: saSecret,
		},
		{
			name: "--username implies a service account", env: map[string]string{"MP_SECRET": saSecret}, args: []string{"--username", "u1"},
			typ: domain.TypeServiceAccount, user: "u1", secret: saSecret,
		},
		{
			name: "--service-account from the environment", env: saEnv, args: []string{"--service-account"},
			typ: domain.TypeServiceAccount, user: "env-user", secret: saSecret,
		},
		{
			name: "--token-env", env: map[string]string{"MY_TOKEN": envToken}, args: []string{"--token-env", "MY_TOKEN"},
			typ: domain.TypeOAuthToken, tokenEnv: "MY_TOKEN",
		},
		{
			name: "--token-env wins over MP_USERNAME+MP_SECRET", env: map[string]string{"MY_TOKEN": envToken, "MP_USERNAME": "u", "MP_SECRET": saSecret},
			args: []string{"--token-env", "MY_TOKEN"}, typ: domain.TypeOAuthToken, tokenEnv: "MY_TOKEN",
		},
		{name: "MP_USERNAME+MP_SECRET", env: saEnv, typ: domain.TypeServiceAccount, user: "env-user", secret: saSecret},
		{
			name: "MP_USERNAME+MP_SECRET win over MP_OAUTH_TOKEN", env: map[string]string{"MP_USERNAME": "env-user", "MP_SECRET": saSecret, "MP_OAUTH_TOKEN": envToken},
			typ: domain.TypeServiceAccount, user: "env-user", secret: saSecret,
		},
		{name: "MP_SECRET alone: browser", env: map[string]string{"MP_SECRET": saSecret}, typ: domain.TypeOAuthBrowser},
		{
			name: "MP_OAUTH_TOKEN: token_env, never the value", env: map[string]string{"MP_OAUTH_TOKEN": envToken},
			typ: domain.TypeOAuthToken, tokenEnv: "MP_OAUTH_TOKEN",
		},
		{name: "--no-browser: browser", args: []string{"--no-browser"}, typ: domain.TypeOAuthBrowser},
		{name: "--token-env with --service-account", env: map[string]string{"T": "x"}, args: []string{"--token-env", "T", "--service-account"}, code: domain.CodeInvalidArgument},
		{name: "--no-browser with --service-account", args: []string{"--no-browser", "--service-account"}, code: domain.CodeInvalidArgument},
		{name: "--no-browser with MP_OAUTH_TOKEN", env: map[string]string{"MP_OAUTH_TOKEN": envToken}, args: []string{"--no-browser"}, code: domain.CodeInvalidArgument},
		{name: "--token-env not set", args: []string{"--token-env", "UNSET_VAR"}, code: domain.CodeInvalidArgument},
		{name: "--token-env invalid name", args: []string{"--token-env", "1BAD"}, code: domain.CodeInvalidArgument},
		{name: "service account without username", env: map[string]string{"MP_SECRET": saSecret}, args: []string{"--service-account"}, code: domain.CodeInvalidArgument},
		{name: "service account without secret (no terminal)", args: []string{"--service-account", "--username", "u"}, code: domain.CodeInvalidArgument},
		{name: "empty --secret-stdin", args: []string{"--username", "u", "--secret-stdin"}, code: domain.CodeInvalidArgument},
		{name: "bad --region", args: []string{"--region", "mars"}, code: domain.CodeInvalidArgument},
		{name: "bad --project", args: []string{"--project", "abc"}, code: domain.CodeInvalidArgument},
		{name: "bad --name", args: []string{"--name", "a b"}, code: domain.CodeInvalidArgument},
		{name: "a positional argument", args: []string{"extra"}, code: domain.CodeInvalidArgument},
		{name: "a secret flag", args: []string{"--secret", "x"}, code: domain.CodeInvalidArgument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, stderr, err := setupInput(t, tt.env, tt.stdin, tt.args...)
			if got := domain.CodeOf(err); got != tt.code || (tt.code == "" && err != nil) {
				t.Fatalf("error %v (code %q), want %q", err, got, tt.code)
			}
			if err != nil {
				return
			}
			if in.Type != tt.typ || in.Username != tt.user || in.Secret.Reveal() != tt.secret || in.TokenEnv != tt.tokenEnv {
				t.Errorf("input: type %q user %q secret? %v token_env %q", in.Type, in.Username, in.Secret.Reveal() == tt.secret, in.TokenEnv)
			}
			if in.ServiceAccount != (tt.typ == domain.TypeServiceAccount) {
				t.Errorf("ServiceAccount = %v", in.ServiceAccount)
			}
			assertNoSecret(t, stderr)
		})
	}
}

func TestSetupLoginFlagsReachTheInput(t *testing.T) {
	in, _, err := setupInput(t, nil, "", "--name", "mine", "--region", "eu", "--project", "4100001")
	if err != nil {
		t.Fatal(err)
	}
	if in.Name != "mine" || in.Region != domain.RegionEU || in.Project != "4100001" || in.Type != domain.TypeOAuthBrowser {
		t.Errorf("input = %+v", in)
	}
}

// saMe is the /me answer of a service account with one project.
func saMe() domain.Me {
	return domain.Me{
		User:          domain.User{ID: 9001, Email: "team@serviceaccount.mixpanel.com"},
		Organizations: []domain.Organization{{ID: 3, Name: "Globex Europe"}},
		Projects:      []domain.Project{{ID: "4100001", Name: "EU Shop", OrganizationID: 3, Domain: "eu.mixpanel.com"}},
	}
}

func TestSetupLoginServiceAccountProbesTheRegion(t *testing.T) {
	e := commandtest.New(domain.Config{}, map[string]string{"MP_USERNAME": "eu-sa", "MP_SECRET": saSecret})
	e.API.SetMe(domain.BasicCredential("eu-sa", domain.NewSecret(saSecret)), domain.RegionEU, saMe())
	err := commandtest.Run(e.Factory, []*cli.Command{NewCmdSetupLogin(e.Factory, nil)}, "login")
	if err != nil {
		t.Fatalf("%v\n%s", err, e.Stderr)
	}
	if got, want := e.Stdout.String(), "Logged in as team@serviceaccount.mixpanel.com → globex-europe · EU Shop\n"; got != want {
		t.Errorf("stdout = %q, want %q", got, want)
	}
	for _, w := range []string{"Probing region us… 401\n", "Probing region eu… ok\n", "Found account in region eu.\n"} {
		if !strings.Contains(e.Stderr.String(), w) {
			t.Errorf("stderr lacks %q:\n%s", w, e.Stderr)
		}
	}
	cfg, err := e.Store.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	a, err := cfg.LookupAccount("globex-europe")
	if err != nil || a.Type != domain.TypeServiceAccount || a.Region != domain.RegionEU || a.DefaultProject != "4100001" {
		t.Errorf("account %+v %v", a, err)
	}
	if cfg.Active().Account != "globex-europe" {
		t.Errorf("active = %q", cfg.Active().Account)
	}
	assertNoSecret(t, e.Stdout.String(), e.Stderr.String())
}

// TestSetupLoginPickerLinesStandApart: a service account that sees
// several projects, on a terminal. The probe's line ends ("… ok") and the
// region is named before the project list starts; no " ok" follows the
// answer.
func TestSetupLoginPickerLinesStandApart(t *testing.T) {
	e := commandtest.New(domain.Config{}, map[string]string{"MP_USERNAME": "eu-sa", "MP_SECRET": saSecret})
	e.IO.SetTTY(true, false, true)
	e.Stdin.WriteString("2\n")
	me := saMe()
	me.Projects = append(me.Projects, domain.Project{ID: "4100002", Name: "EU Blog", OrganizationID: 3, Domain: "eu.mixpanel.com"})
	e.API.SetMe(domain.BasicCredential("eu-sa", domain.NewSecret(saSecret)), domain.RegionEU, me)
	if err := commandtest.Run(e.Factory, []*cli.Command{NewCmdSetupLogin(e.Factory, nil)}, "login"); err != nil {
		t.Fatalf("%v\n%s", err, e.Stderr)
	}
	stderr := e.Stderr.String()
	want := "note: setting up the service account of $MP_USERNAME and $MP_SECRET.\n" +
		"note: using the secret from $MP_SECRET.\n" +
		"Probing region us… 401\n" +
		"Probing region eu… ok\n" +
		"Found account in region eu.\n" +
		"This account can see 2 projects:\n"
	if !strings.HasPrefix(stderr, want) {
		t.Errorf("stderr starts\n%q\nwant\n%q", stderr, want)
	}
	if strings.Count(stderr, " ok") != 1 || strings.Count(stderr, "Found account") != 1 || strings.HasSuffix(stderr, " ok\n") {
		t.Errorf("the probe's end is printed again after the answer:\n%s", stderr)
	}
}

func TestSetupLoginProbeFailureEndsTheProgressLine(t *testing.T) {
	e := commandtest.New(domain.Config{}, map[string]string{"MP_USERNAME": "nobody", "MP_SECRET": saSecret})
	err := commandtest.Run(e.Factory, []*cli.Command{NewCmdSetupLogin(e.Factory, nil)}, "login")
	if domain.CodeOf(err) != domain.CodeRegionProbeFailed {
		t.Fatalf("error %v", err)
	}
	if !strings.HasSuffix(e.Stderr.String(), "Probing region in… 401\n") {
		t.Errorf("stderr = %q", e.Stderr)
	}
	assertNoSecret(t, e.Stdout.String(), e.Stderr.String())
}

func TestSetupLoginBrowserPicksOnATerminal(t *testing.T) {
	e := commandtest.New(domain.Config{}, nil)
	e.IO.SetTTY(true, false, true)
	e.Stdin.WriteString("2\n")
	e.OAuth.QueueLogin(loginTokens(), nil)
	e.API.SetMe(domain.BearerCredential(domain.NewSecret(loginAccess)), domain.RegionUS, joMe())
	err := commandtest.Run(e.Factory, []*cli.Command{NewCmdSetupLogin(e.Factory, nil)}, "login")
	if err != nil {
		t.Fatalf("%v\n%s", err, e.Stderr)
	}
	picked := joMe().Projects
	if !strings.Contains(e.Stderr.String(), "Choose the default project [1-2]") {
		t.Fatalf("no picker on stderr:\n%s", e.Stderr)
	}
	// The picker lists the projects as the app gives them; the answer "2"
	// must pick the second one listed.
	var second string
	for _, p := range picked {
		if strings.Contains(e.Stderr.String(), "2) "+string(p.ID)) {
			second = p.Name
		}
	}
	if want := "Logged in as jo@example.com → acme-corp · " + second + "\n"; second == "" || e.Stdout.String() != want {
		t.Errorf("stdout = %q, want %q", e.Stdout, want)
	}
	assertNoSecret(t, e.Stdout.String(), e.Stderr.String())
}

func TestSetupLoginSeveralProjectsWithoutATerminal(t *testing.T) {
	e := commandtest.New(domain.Config{}, nil)
	e.OAuth.QueueLogin(loginTokens(), nil)
	e.API.SetMe(domain.BearerCredential(domain.NewSecret(loginAccess)), domain.RegionUS, joMe())
	err := commandtest.Run(e.Factory, []*cli.Command{NewCmdSetupLogin(e.Factory, nil)}, "login")
	var de *domain.Error
	if !errors.As(err, &de) || de.Code != domain.CodeInvalidArgument || !strings.Contains(de.Error()+de.Hint, "--project") {
		t.Fatalf("error %v", err)
	}
	if _, ok, _ := e.Tokens.Load(context.Background(), "acme-corp"); ok {
		t.Error("tokens stored although no project was chosen")
	}
	if e.Stdout.Len() != 0 {
		t.Errorf("stdout = %q", e.Stdout)
	}
}

// TestSetupLoginNotesFollowTheReason: the CLI says which environment
// variables picked the account type, and nothing when a flag did.
func TestSetupLoginNotesFollowTheReason(t *testing.T) {
	const (
		saNote    = "note: setting up the service account of $MP_USERNAME and $MP_SECRET.\n"
		tokenNote = "note: using $MP_OAUTH_TOKEN; the account reads it at request time (its value is not stored).\n"
	)
	tests := []struct {
		name  string
		env   map[string]string
		stdin string
		args  []string
		want  string // the notes on stderr, in order
	}{
		{name: "MP_USERNAME+MP_SECRET", env: map[string]string{"MP_USERNAME": "u", "MP_SECRET": saSecret}, want: saNote + "note: using the secret from $MP_SECRET.\n"},
		{name: "MP_OAUTH_TOKEN", env: map[string]string{"MP_OAUTH_TOKEN": envToken}, want: tokenNote},
		{name: "--token-env", env: map[string]string{"MY_TOKEN": envToken, "MP_OAUTH_TOKEN": envToken}, args: []string{"--token-env", "MY_TOKEN"}},
		{name: "--username with stdin", env: map[string]string{"MP_USERNAME": "u", "MP_SECRET": saSecret}, stdin: saSecret, args: []string{"--username", "x", "--secret-stdin"}},
		{name: "browser", args: []string{"--no-browser"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, stderr, err := setupInput(t, tt.env, tt.stdin, tt.args...)
			if err != nil {
				t.Fatal(err)
			}
			if stderr != tt.want {
				t.Errorf("stderr = %q, want %q", stderr, tt.want)
			}
		})
	}
}

// TestSetupLoginUsageErrorWords pins the words of the detection errors,
// which come from the domain now.
func TestSetupLoginUsageErrorWords(t *testing.T) {
	tests := []struct {
		env       map[string]string
		args      []string
		msg, hint string
	}{
		{
			env: map[string]string{"T": "x"}, args: []string{"--token-env", "T", "--service-account"},
			msg:  "--token-env cannot be combined with --service-account, --username or --secret-stdin",
			hint: "a service account takes --username and a secret; an oauth_token account takes --token-env",
		},
		{
			args: []string{"--no-browser", "--username", "u"},
			msg:  "--no-browser applies to the browser login only", hint: "drop --no-browser, or drop the service-account/token flags for a browser login",
		},
		{
			env: map[string]string{"MP_USERNAME": "u", "MP_SECRET": saSecret}, args: []string{"--no-browser"},
			msg:  "--no-browser applies to the browser login only, and MP_USERNAME and MP_SECRET selects a service_account",
			hint: "unset MP_USERNAME and MP_SECRET for a browser login, or drop --no-browser",
		},
		{
			args: []string{"--token-env", "1BAD"},
			msg:  `flag --token-env: "1BAD" is not a valid environment variable name`, hint: "use a name like MP_CI_TOKEN (letters, digits, _; not starting with a digit)",
		},
		{
			args: []string{"--token-env", "UNSET_VAR"},
			msg:  "$UNSET_VAR is not set", hint: "export UNSET_VAR=<token> first; mp login checks the token with /me",
		},
		{
			env: map[string]string{"MP_SECRET": saSecret}, args: []string{"--service-account"},
			msg: "a service account needs a username", hint: "pass --username USER or set MP_USERNAME",
		},
		{
			args: []string{"--username", "u"},
			msg:  "a service account needs a secret and none was given", hint: "pipe it to --secret-stdin, or set MP_SECRET, or run on a terminal to be prompted",
		},
	}
	for _, tt := range tests {
		_, stderr, err := setupInput(t, tt.env, "", tt.args...)
		var de *domain.Error
		if !errors.As(err, &de) || de.Code != domain.CodeInvalidArgument {
			t.Fatalf("%v: error %v", tt.args, err)
		}
		if de.Message != tt.msg || de.Hint != tt.hint || len(de.Details) != 0 {
			t.Errorf("%v: error %q / hint %q / details %v\nwant  %q / hint %q", tt.args, de.Message, de.Hint, de.Details, tt.msg, tt.hint)
		}
		assertNoSecret(t, stderr, de.Error())
	}
}
