package account

import (
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/mpdata/mp/cmd/internal/command/commandtest"
	"github.com/mpdata/mp/cmd/internal/iostreams"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
	"github.com/mpdata/mp/ports/inmem"
)

// Secrets of the login tests; no output may contain them except the
// token that `mp account token` exists to print.
const (
	loginAccess  = "at-login-NEVER-PRINT"
	loginRefresh = "rt-login-NEVER-PRINT"
	saSecret     = "sa-login-secret-NEVER-PRINT"
	envToken     = "env-token-NEVER-PRINT"
)

// browserConfig has one oauth_browser account "web" (us, no project), one
// service account "team" and one oauth_token account "ci".
func browserConfig(t *testing.T) domain.Config {
	t.Helper()
	cfg, err := domain.NewConfig(domain.ConfigData{
		Accounts: []domain.Account{
			{Name: "web", Type: domain.TypeOAuthBrowser, Region: domain.RegionUS},
			{Name: "team", Type: domain.TypeServiceAccount, Region: domain.RegionUS, Username: "team-mp", Secret: domain.NewSecret(saSecret)},
			{Name: "ci", Type: domain.TypeOAuthToken, Region: domain.RegionUS, TokenEnv: "MP_CI_TOKEN"},
		},
		Active: domain.Active{Account: "team"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// loginTokens are tokens a browser login returns, valid for an hour.
func loginTokens() domain.Tokens {
	return domain.Tokens{
		AccessToken: domain.NewSecret(loginAccess), RefreshToken: domain.NewSecret(loginRefresh),
		ExpiresAt: commandtest.Now().Add(time.Hour), TokenType: "Bearer", Scope: domain.OAuthScope, ClientID: "client-1",
	}
}

// joMe is the /me answer of the browser user: two us projects.
func joMe() domain.Me {
	return domain.Me{
		User:          domain.User{ID: 42, Email: "jo@example.com"},
		Organizations: []domain.Organization{{ID: 7, Name: "Acme Corp"}},
		Projects: []domain.Project{
			{ID: "3713224", Name: "AI Demo", OrganizationID: 7, Domain: "mixpanel.com"},
			{ID: "3018488", Name: "E-Commerce Demo", OrganizationID: 7, Domain: "mixpanel.com"},
		},
	}
}

func assertNoSecret(t *testing.T, outputs ...string) {
	t.Helper()
	for _, out := range outputs {
		for _, s := range []string{loginAccess, loginRefresh, saSecret, envToken} {
			if strings.Contains(out, s) {
				t.Errorf("output leaks %q:\n%s", s, out)
			}
		}
	}
}

func TestAccountLogin(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		stdin      string
		wantStdout string
		wantStderr []string
		noStderr   []string
		wantPaste  bool
	}{
		{
			name:       "browser opened: one line, no URL",
			args:       []string{"login", "web"},
			wantStdout: "Logged in as jo@example.com → web · E-Commerce Demo\n",
			wantStderr: []string{"Opened the browser"},
			noStderr:   []string{inmem.FakeAuthorizeURL},
		},
		{
			name:       "--no-browser: the URL and the paste prompt, stdin is the paste source",
			args:       []string{"login", "web", "--no-browser"},
			stdin:      "http://localhost:19284/callback?code=c&state=s\n",
			wantStdout: "Logged in as jo@example.com → web · E-Commerce Demo\n",
			wantStderr: []string{inmem.FakeAuthorizeURL + "?region=us", "paste the redirect URL here"},
			wantPaste:  true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := commandtest.New(browserConfig(t), nil)
			e.Stdin.WriteString(tt.stdin)
			e.OAuth.QueueLogin(loginTokens(), nil)
			e.API.SetMe(domain.BearerCredential(domain.NewSecret(loginAccess)), domain.RegionUS, joMe())
			err := commandtest.Run(e.Factory, []*cli.Command{NewCmd(e.Factory)}, append([]string{"account"}, tt.args...)...)
			if err != nil {
				t.Fatalf("%v\nstderr: %s", err, e.Stderr)
			}
			if e.Stdout.String() != tt.wantStdout {
				t.Errorf("stdout = %q, want %q", e.Stdout.String(), tt.wantStdout)
			}
			for _, w := range tt.wantStderr {
				if !strings.Contains(e.Stderr.String(), w) {
					t.Errorf("stderr lacks %q:\n%s", w, e.Stderr)
				}
			}
			for _, w := range tt.noStderr {
				if strings.Contains(e.Stderr.String(), w) {
					t.Errorf("stderr has %q:\n%s", w, e.Stderr)
				}
			}
			reqs := e.OAuth.LoginRequests()
			if len(reqs) != 1 || reqs[0].Region != domain.RegionUS || reqs[0].NoBrowser != tt.wantPaste || (reqs[0].Paste != nil) != tt.wantPaste {
				t.Errorf("login requests = %+v", reqs)
			}
			if tt.wantPaste {
				b, _ := io.ReadAll(reqs[0].Paste)
				if !strings.Contains(string(b), "code=c") {
					t.Errorf("paste source read %q, want stdin", b)
				}
			}
			tok, ok, err := e.Tokens.Load(context.Background(), "web")
			if err != nil || !ok || tok.AccessToken.Reveal() != loginAccess {
				t.Errorf("stored tokens %v %v %v", tok, ok, err)
			}
			assertNoSecret(t, e.Stdout.String(), e.Stderr.String())
		})
	}
}

func TestAccountLoginJSON(t *testing.T) {
	e := commandtest.New(browserConfig(t), nil)
	e.OAuth.QueueLogin(loginTokens(), nil)
	e.API.SetMe(domain.BearerCredential(domain.NewSecret(loginAccess)), domain.RegionUS, joMe())
	err := commandtest.Run(e.Factory, []*cli.Command{NewCmd(e.Factory)}, "account", "login", "web", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(e.Stdout.Bytes(), &got); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, e.Stdout)
	}
	for _, k := range []string{"account", "type", "region", "user", "project", "expires_at", "created", "active"} {
		if _, ok := got[k]; !ok {
			t.Errorf("LoginResult lacks %q: %s", k, e.Stdout)
		}
	}
	if got["account"] != "web" || got["type"] != "oauth_browser" || got["project"].(map[string]any)["id"] != "3018488" {
		t.Errorf("LoginResult = %s", e.Stdout)
	}
	assertNoSecret(t, e.Stdout.String(), e.Stderr.String())
}

func TestAccountLoginFailures(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		loginErr error
		want     domain.Code
	}{
		{"not a browser account", []string{"login", "team"}, nil, domain.CodeInvalidArgument},
		{"unknown account", []string{"login", "nope"}, nil, domain.CodeAccountNotFound},
		{"denied in the browser", []string{"login", "web"}, domain.NewError(domain.CodeOAuthAuthDenied, "denied"), domain.CodeOAuthAuthDenied},
		{"no NAME", []string{"login"}, nil, domain.CodeInvalidArgument},
		{"a selection flag", []string{"login", "web", "-a", "web"}, nil, domain.CodeInvalidArgument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := commandtest.New(browserConfig(t), nil)
			if tt.loginErr != nil {
				e.OAuth.QueueLogin(domain.Tokens{}, tt.loginErr)
			}
			err := commandtest.Run(e.Factory, []*cli.Command{NewCmd(e.Factory)}, append([]string{"account"}, tt.args...)...)
			if got := domain.CodeOf(err); got != tt.want {
				t.Fatalf("error %v (code %s), want %s", err, got, tt.want)
			}
			if _, ok, _ := e.Tokens.Load(context.Background(), "web"); ok {
				t.Error("tokens stored by a failed login")
			}
			if e.Stdout.Len() != 0 {
				t.Errorf("stdout = %q", e.Stdout)
			}
		})
	}
}

func TestLoginUIPrintsTheURLWhenNeeded(t *testing.T) {
	const url = "http://127.0.0.1:1/oauth/authorize/?state=x"
	tests := []struct {
		name      string
		noBrowser bool
		quiet     bool
		ev        ports.LoginEvent
		wantURL   bool
		want      string
	}{
		{"browser opened", false, false, ports.LoginEvent{Kind: ports.LoginURL, URL: url, BrowserOpened: true}, false, "Opened the browser"},
		{"no browser could be opened", false, false, ports.LoginEvent{Kind: ports.LoginURL, URL: url, BrowserError: "exec: xdg-open: not found"}, true, "Could not open a browser: exec: xdg-open: not found"},
		{"headless", false, false, ports.LoginEvent{Kind: ports.LoginURL, URL: url, BrowserOpened: true, Headless: true}, true, "headless"},
		{"--no-browser", true, false, ports.LoginEvent{Kind: ports.LoginURL, URL: url}, true, "paste the redirect URL here"},
		{"quiet still shows a URL the user needs", false, true, ports.LoginEvent{Kind: ports.LoginURL, URL: url, Headless: true, BrowserOpened: true}, true, url},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, out, errOut := iostreams.Test()
			ios.SetQuiet(tt.quiet)
			ui := &loginUI{io: ios, noBrowser: tt.noBrowser}
			ui.notify(tt.ev)
			ui.notify(ports.LoginEvent{Kind: ports.LoginWaiting})
			ui.notify(ports.LoginEvent{Kind: ports.LoginCode})
			ui.done()
			if got := strings.Contains(errOut.String(), url); got != tt.wantURL {
				t.Errorf("URL printed = %v, want %v:\n%s", got, tt.wantURL, errOut)
			}
			if !strings.Contains(errOut.String(), tt.want) {
				t.Errorf("stderr lacks %q:\n%s", tt.want, errOut)
			}
			if strings.Contains(errOut.String(), "\r") {
				t.Errorf("a spinner was drawn on a stderr that is not a terminal: %q", errOut)
			}
			if out.Len() != 0 {
				t.Errorf("stdout = %q", out)
			}
		})
	}
}

func TestLoginUISpinnerOnATerminal(t *testing.T) {
	for _, noBrowser := range []bool{false, true} {
		ios, _, _, errOut := iostreams.Test()
		ios.SetTTY(false, false, true)
		ui := &loginUI{io: ios, noBrowser: noBrowser}
		ui.notify(ports.LoginEvent{Kind: ports.LoginURL, URL: "u", BrowserOpened: true})
		ui.notify(ports.LoginEvent{Kind: ports.LoginWaiting})
		ui.done()
		drawn := strings.Contains(errOut.String(), "Waiting for the login")
		if drawn == noBrowser {
			t.Errorf("noBrowser=%v: spinner drawn = %v (no spinner over the paste prompt):\n%q", noBrowser, drawn, errOut)
		}
	}
}

func TestProjectPicker(t *testing.T) {
	projects := joMe().Projects
	tests := []struct {
		name    string
		stdin   string
		want    domain.ProjectID
		wantErr bool
	}{
		{"second", "2\n", "3018488", false},
		{"first after a wrong answer", "9\n1\n", "3713224", false},
		{"spaces", " 2 \n", "3018488", false},
		{"end of input", "", "", true},
		{"three wrong answers", "x\n0\n3\n1\n", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, in, _, errOut := iostreams.Test()
			in.WriteString(tt.stdin)
			got, err := projectPicker(context.Background(), ios)(projects)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Fatalf("picked %q, %v; want %q (error %v)", got, err, tt.want, tt.wantErr)
			}
			if tt.wantErr && domain.CodeOf(err) != domain.CodeInvalidArgument {
				t.Errorf("error code %s", domain.CodeOf(err))
			}
			for _, w := range []string{"1) 3713224  AI Demo (us)", "2) 3018488  E-Commerce Demo (us)", "Choose the default project [1-2]: "} {
				if !strings.Contains(errOut.String(), w) {
					t.Errorf("stderr lacks %q:\n%s", w, errOut)
				}
			}
		})
	}
}

func TestLogout(t *testing.T) {
	tests := []struct {
		name   string
		seed   bool
		format []string
		want   string
	}{
		{"tokens removed", true, nil, "Logged out of 'web'.\n"},
		{"no tokens", false, nil, "No tokens stored for 'web'.\n"},
		{"json", true, []string{"--format", "json"}, "{\n  \"account\": \"web\",\n  \"removed\": true\n}\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := commandtest.New(browserConfig(t), nil)
			if tt.seed {
				if err := e.Tokens.Save(context.Background(), "web", loginTokens()); err != nil {
					t.Fatal(err)
				}
			}
			err := commandtest.Run(e.Factory, []*cli.Command{NewCmd(e.Factory)}, append([]string{"account", "logout", "web"}, tt.format...)...)
			if err != nil {
				t.Fatal(err)
			}
			if e.Stdout.String() != tt.want {
				t.Errorf("stdout = %q, want %q", e.Stdout, tt.want)
			}
			if _, ok, _ := e.Tokens.Load(context.Background(), "web"); ok {
				t.Error("tokens still stored")
			}
		})
	}
	e := commandtest.New(browserConfig(t), nil)
	err := commandtest.Run(e.Factory, []*cli.Command{NewCmd(e.Factory)}, "account", "logout", "team")
	if domain.CodeOf(err) != domain.CodeInvalidArgument {
		t.Errorf("logout of a service account: %v", err)
	}
}

func TestToken(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		args    []string
		refresh bool
		want    string
		code    domain.Code
	}{
		{"browser account", nil, []string{"token", "web"}, false, loginAccess + "\n", ""},
		{"browser account with -a", nil, []string{"token", "-a", "web"}, false, loginAccess + "\n", ""},
		{"expired: refreshed first", nil, []string{"token", "web"}, true, "fresh-at\n", ""},
		{"token_env account", map[string]string{"MP_CI_TOKEN": envToken}, []string{"token", "ci"}, false, envToken + "\n", ""},
		{"MP_ACCOUNT", map[string]string{"MP_ACCOUNT": "ci", "MP_CI_TOKEN": envToken}, []string{"token"}, false, envToken + "\n", ""},
		{"service account: no bearer", nil, []string{"token"}, false, "", domain.CodeConfigError},
		{"NAME and -a", nil, []string{"token", "web", "-a", "ci"}, false, "", domain.CodeInvalidArgument},
		{"unknown", nil, []string{"token", "nope"}, false, "", domain.CodeAccountNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := commandtest.New(browserConfig(t), tt.env)
			tok := loginTokens()
			if tt.refresh {
				tok.ExpiresAt = commandtest.Now().Add(10 * time.Second) // inside the 30 s skew
				fresh := loginTokens()
				fresh.AccessToken = domain.NewSecret("fresh-at")
				e.OAuth.QueueRefresh(fresh, nil)
			}
			if err := e.Tokens.Save(context.Background(), "web", tok); err != nil {
				t.Fatal(err)
			}
			err := commandtest.Run(e.Factory, []*cli.Command{NewCmd(e.Factory)}, append([]string{"account"}, tt.args...)...)
			if got := domain.CodeOf(err); got != tt.code || (tt.code == "" && err != nil) {
				t.Fatalf("error %v (code %q), want %q", err, got, tt.code)
			}
			if e.Stdout.String() != tt.want {
				t.Errorf("stdout = %q, want %q", e.Stdout, tt.want)
			}
			if tt.code == domain.CodeConfigError && !strings.Contains(err.Error(), "service accounts use Basic auth; no bearer") {
				t.Errorf("message %q", err)
			}
			if n := e.OAuth.RefreshCalls(); n != map[bool]int{true: 1}[tt.refresh] {
				t.Errorf("%d refreshes", n)
			}
			if e.Stderr.Len() != 0 {
				t.Errorf("stderr = %q", e.Stderr)
			}
		})
	}
}

// TestTokenFormatJSON: --format json prints the account, the token and its
// expiry (RFC 3339, UTC) as one JSON object.
func TestTokenFormatJSON(t *testing.T) {
	e := commandtest.New(browserConfig(t), nil)
	tok := loginTokens()
	if err := e.Tokens.Save(context.Background(), "web", tok); err != nil {
		t.Fatal(err)
	}
	if err := commandtest.Run(e.Factory, []*cli.Command{NewCmd(e.Factory)}, "account", "token", "web", "--format", "json"); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Account   string  `json:"account"`
		Token     string  `json:"token"`
		ExpiresAt *string `json:"expires_at"`
	}
	if err := json.Unmarshal(e.Stdout.Bytes(), &got); err != nil {
		t.Fatalf("stdout %q: %v", e.Stdout, err)
	}
	want := tok.ExpiresAt.UTC().Format(time.RFC3339)
	if got.Account != "web" || got.Token != loginAccess || got.ExpiresAt == nil || *got.ExpiresAt != want {
		t.Errorf("token JSON = %+v, want web, the access token, expires_at %s", got, want)
	}
}
