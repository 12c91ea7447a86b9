package app_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports/inmem"
)

func TestAddAccountRequestCheck(t *testing.T) {
	user, empty, tokEnv, badEnv := ptr("u1"), ptr(""), ptr("MP_CI_TOKEN"), ptr("1X")
	tests := []struct {
		name string
		req  app.AddAccountRequest
		msg  string // "" means valid
		hint string // checked when msg is set
	}{
		{name: "service account, region probed", req: app.AddAccountRequest{Name: "a", Type: domain.TypeServiceAccount, Credentials: app.CredentialInputs{Username: user}}},
		{name: "service account with stdin", req: app.AddAccountRequest{Name: "a", Type: domain.TypeServiceAccount, Region: "eu", Credentials: app.CredentialInputs{Username: user, SecretStdin: true}}},
		{name: "token env", req: app.AddAccountRequest{Name: "a", Type: domain.TypeOAuthToken, Credentials: app.CredentialInputs{TokenEnv: tokEnv}}},
		{name: "token stdin", req: app.AddAccountRequest{Name: "a", Type: domain.TypeOAuthToken, Credentials: app.CredentialInputs{TokenStdin: true}}},
		{name: "browser with a region", req: app.AddAccountRequest{Name: "a", Type: domain.TypeOAuthBrowser, Region: "in"}},
		{
			name: "no type", req: app.AddAccountRequest{Name: "a", Region: "us"},
			msg: "`mp account add` needs --type", hint: "pass --type service_account, --type oauth_browser or --type oauth_token",
		},
		{
			name: "browser without a region", req: app.AddAccountRequest{Name: "a", Type: domain.TypeOAuthBrowser},
			msg:  "`mp account add` needs --region for an oauth_browser account: there is no credential yet to probe the regions with",
			hint: "pass --region us, --region eu or --region in (the region whose server you log in to)",
		},
		{
			name: "token flag on a service account", req: app.AddAccountRequest{Name: "a", Type: domain.TypeServiceAccount, Credentials: app.CredentialInputs{Username: user, TokenEnv: tokEnv}},
			msg: "--token-env does not apply to a service_account account", hint: "a service account takes --username and its secret from --secret-stdin, MP_SECRET or a prompt",
		},
		{
			name: "secret flag on a token account", req: app.AddAccountRequest{Name: "a", Type: domain.TypeOAuthToken, Credentials: app.CredentialInputs{SecretStdin: true}},
			msg: "--secret-stdin does not apply to a oauth_token account", hint: "an oauth_token account takes --token-env VAR or --token-stdin",
		},
		{
			name: "username on a browser account", req: app.AddAccountRequest{Name: "a", Type: domain.TypeOAuthBrowser, Region: "us", Credentials: app.CredentialInputs{Username: empty}},
			msg:  "--username does not apply to a oauth_browser account",
			hint: "an oauth_browser account keeps no credentials in the config; its tokens come from the browser login",
		},
		{
			name: "token stdin on a browser account", req: app.AddAccountRequest{Name: "a", Type: domain.TypeOAuthBrowser, Region: "us", Credentials: app.CredentialInputs{TokenStdin: true}},
			msg:  "--token-stdin does not apply to a oauth_browser account",
			hint: "an oauth_browser account keeps no credentials in the config; its tokens come from the browser login",
		},
		{
			name: "no username", req: app.AddAccountRequest{Name: "a", Type: domain.TypeServiceAccount, Credentials: app.CredentialInputs{SecretStdin: true}},
			msg: "a service account needs --username", hint: "pass --username USER (the service account's username)",
		},
		{
			name: "empty username", req: app.AddAccountRequest{Name: "a", Type: domain.TypeServiceAccount, Credentials: app.CredentialInputs{Username: empty}},
			msg: "a service account needs --username", hint: "pass --username USER (the service account's username)",
		},
		{
			name: "token account without a source", req: app.AddAccountRequest{Name: "a", Type: domain.TypeOAuthToken},
			msg:  "an oauth_token account needs --token-env or --token-stdin",
			hint: "pass --token-env VAR (the variable is read at request time) or pipe the token to --token-stdin; MP_OAUTH_TOKEN is never captured",
		},
		{
			name: "both token sources", req: app.AddAccountRequest{Name: "a", Type: domain.TypeOAuthToken, Credentials: app.CredentialInputs{TokenEnv: tokEnv, TokenStdin: true}},
			msg: "--token-env and --token-stdin cannot be used together", hint: "pass only one of them",
		},
		{
			name: "bad token env name", req: app.AddAccountRequest{Name: "a", Type: domain.TypeOAuthToken, Credentials: app.CredentialInputs{TokenEnv: badEnv}},
			msg: `flag --token-env: "1X" is not a valid environment variable name`, hint: "use a name like MP_CI_TOKEN (letters, digits, _; not starting with a digit)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.req.Check()
			if tt.msg == "" {
				if err != nil {
					t.Fatalf("Check = %v", err)
				}
				return
			}
			e := wantCode(t, err, domain.CodeInvalidArgument)
			if e.Message != tt.msg || e.Hint != tt.hint {
				t.Errorf("error %q / hint %q\nwant  %q / hint %q", e.Message, e.Hint, tt.msg, tt.hint)
			}
		})
	}
}

func TestAddAccountRequestAccount(t *testing.T) {
	secret, token := domain.NewSecret(saSecret), domain.NewSecret(envToken)
	tests := []struct {
		req  app.AddAccountRequest
		want domain.Account
	}{
		{
			app.AddAccountRequest{Name: "sa", Type: domain.TypeServiceAccount, Region: "eu", DefaultProject: "42", Credentials: app.CredentialInputs{Username: ptr("u")}},
			domain.Account{Name: "sa", Type: domain.TypeServiceAccount, Region: "eu", DefaultProject: "42", Username: "u", Secret: secret},
		},
		{
			app.AddAccountRequest{Name: "te", Type: domain.TypeOAuthToken, Credentials: app.CredentialInputs{TokenEnv: ptr("TOK")}},
			domain.Account{Name: "te", Type: domain.TypeOAuthToken, TokenEnv: "TOK"},
		},
		{
			app.AddAccountRequest{Name: "ts", Type: domain.TypeOAuthToken, Credentials: app.CredentialInputs{TokenStdin: true}},
			domain.Account{Name: "ts", Type: domain.TypeOAuthToken, Token: token},
		},
		{
			app.AddAccountRequest{Name: "b", Type: domain.TypeOAuthBrowser, Region: "in"},
			domain.Account{Name: "b", Type: domain.TypeOAuthBrowser, Region: "in"},
		},
	}
	for _, tt := range tests {
		if got := tt.req.Account(secret, token); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: Account = %+v, want %+v", tt.req.Name, got, tt.want)
		}
	}
}

func TestCredentialInputsCheckUpdate(t *testing.T) {
	tests := []struct {
		name      string
		in        app.CredentialInputs
		msg, hint string
	}{
		{name: "nothing"},
		{name: "username and secret", in: app.CredentialInputs{Username: ptr("u"), SecretStdin: true}},
		{name: "token env", in: app.CredentialInputs{TokenEnv: ptr("MP_CI_TOKEN")}},
		{name: "token stdin", in: app.CredentialInputs{TokenStdin: true}},
		// Which fields fit which type is AccountPatch.Apply's rule, not this one.
		{name: "token env and stdin", in: app.CredentialInputs{TokenEnv: ptr("X"), TokenStdin: true}},
		{
			name: "empty username", in: app.CredentialInputs{Username: ptr("")},
			msg: "flag --username: the username must not be empty", hint: "pass a non-empty --username",
		},
		{
			name: "bad token env", in: app.CredentialInputs{TokenEnv: ptr("NOT A VAR")},
			msg: `flag --token-env: "NOT A VAR" is not a valid environment variable name`, hint: "use a name like MP_CI_TOKEN (letters, digits, _; not starting with a digit)",
		},
		{
			name: "two values from stdin", in: app.CredentialInputs{SecretStdin: true, TokenStdin: true},
			msg: "--secret-stdin and --token-stdin cannot be used together", hint: "pass only one of them",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.in.CheckUpdate()
			if tt.msg == "" {
				if err != nil {
					t.Fatalf("CheckUpdate = %v", err)
				}
				return
			}
			e := wantCode(t, err, domain.CodeInvalidArgument)
			if e.Message != tt.msg || e.Hint != tt.hint {
				t.Errorf("error %q / hint %q\nwant  %q / hint %q", e.Message, e.Hint, tt.msg, tt.hint)
			}
		})
	}
}

// stepStrings renders probe steps as "us… 401", "eu… ok".
func stepStrings(steps []app.ProbeStep) []string {
	var out []string
	for _, s := range steps {
		switch {
		case !s.Done:
			out = append(out, fmt.Sprintf("%s…", s.Region))
		case s.Err == nil:
			out[len(out)-1] += " ok"
		default:
			out[len(out)-1] += " " + string(domain.CodeOf(s.Err))
		}
	}
	return out
}

func TestAddWithProbe(t *testing.T) {
	ctx := context.Background()
	acct := domain.Account{Name: "found", Type: domain.TypeServiceAccount, Username: "svc", Secret: domain.NewSecret(saSecret + "-probe")}
	cred := domain.BasicCredential("svc", domain.NewSecret(saSecret+"-probe"))

	t.Run("found in eu: added there, active, /me cached", func(t *testing.T) {
		f := newFixture(t, domain.Config{}, nil)
		f.api.SetMe(cred, domain.RegionEU, buildMe(t, "f@example.com", meProject{ID: "31", Name: "EU"}))
		var steps []app.ProbeStep
		res, err := f.app.Accounts.AddWithProbe(ctx, acct, func(s app.ProbeStep) { steps = append(steps, s) })
		if err != nil {
			t.Fatal(err)
		}
		if res.Account.Region != "eu" || !res.Promoted {
			t.Fatalf("result = %+v", res)
		}
		if got, want := stepStrings(steps), []string{"us… AUTH_FAILED", "eu… ok"}; !reflect.DeepEqual(got, want) {
			t.Fatalf("steps = %q, want %q", got, want)
		}
		if a, _ := f.load(t).Account("found"); a.Region != domain.RegionEU {
			t.Fatalf("stored %+v", a)
		}
		if !f.me.Has("found") {
			t.Fatal("the probed /me was not cached")
		}
		if n := f.api.Count(inmem.EndpointMe); n != 2 {
			t.Fatalf("%d /me calls, want 2", n)
		}
	})
	t.Run("every region refuses: nothing added", func(t *testing.T) {
		f := newFixture(t, domain.Config{}, nil)
		var steps []app.ProbeStep
		_, err := f.app.Accounts.AddWithProbe(ctx, acct, func(s app.ProbeStep) { steps = append(steps, s) })
		wantCode(t, err, domain.CodeRegionProbeFailed)
		if got, want := stepStrings(steps), []string{"us… AUTH_FAILED", "eu… AUTH_FAILED", "in… AUTH_FAILED"}; !reflect.DeepEqual(got, want) {
			t.Fatalf("steps = %q, want %q", got, want)
		}
		if !f.load(t).IsEmpty() {
			t.Fatal("an account was added")
		}
	})
	t.Run("a network error ends the probe with that error", func(t *testing.T) {
		f := newFixture(t, domain.Config{}, nil)
		f.api.FailNext(inmem.EndpointMe, inmem.Unauthorized(domain.Scope{}, "/api/app/me"), domain.NewError(domain.CodeNetworkUnreachable, "cannot reach eu.mixpanel.com"))
		var steps []app.ProbeStep
		_, err := f.app.Accounts.AddWithProbe(ctx, acct, func(s app.ProbeStep) { steps = append(steps, s) })
		wantCode(t, err, domain.CodeNetworkUnreachable)
		if got, want := stepStrings(steps), []string{"us… AUTH_FAILED", "eu… NETWORK_UNREACHABLE"}; !reflect.DeepEqual(got, want) {
			t.Fatalf("steps = %q, want %q", got, want)
		}
		if !f.load(t).IsEmpty() {
			t.Fatal("an account was added")
		}
	})
	t.Run("a given region is not probed", func(t *testing.T) {
		f := newFixture(t, domain.Config{}, nil)
		a := acct
		a.Region = domain.RegionIN
		res, err := f.app.Accounts.AddWithProbe(ctx, a, func(app.ProbeStep) { t.Error("progress called without a probe") })
		if err != nil || res.Account.Region != "in" {
			t.Fatalf("AddWithProbe = %+v, %v", res, err)
		}
		if n := f.api.Count(""); n != 0 {
			t.Fatalf("%d API calls", n)
		}
	})
	t.Run("refused before any attempt: no progress", func(t *testing.T) {
		f := seeded(t, nil)
		taken := acct
		taken.Name = "alpha"
		_, err := f.app.Accounts.AddWithProbe(ctx, taken, func(app.ProbeStep) { t.Error("progress called") })
		wantCode(t, err, domain.CodeAccountExists)
		_, err = f.app.Accounts.AddWithProbe(ctx, domain.Account{Name: "b", Type: domain.TypeOAuthBrowser}, nil)
		wantCode(t, err, domain.CodeInvalidArgument)
		if n := f.api.Count(""); n != 0 {
			t.Fatalf("%d API calls", n)
		}
	})
	t.Run("nil progress", func(t *testing.T) {
		f := newFixture(t, domain.Config{}, inmem.Env{"TOK": envToken})
		f.api.SetMe(domain.BearerCredential(domain.NewSecret(envToken)), domain.RegionIN, buildMe(t, "t@example.com"))
		res, err := f.app.Accounts.AddWithProbe(ctx, domain.Account{Name: "tok", Type: domain.TypeOAuthToken, TokenEnv: "TOK"}, nil)
		if err != nil || res.Account.Region != "in" {
			t.Fatalf("AddWithProbe = %+v, %v", res, err)
		}
	})
	t.Run("no secret in steps or errors", func(t *testing.T) {
		f := newFixture(t, domain.Config{}, nil)
		var steps []app.ProbeStep
		_, err := f.app.Accounts.AddWithProbe(ctx, acct, func(s app.ProbeStep) { steps = append(steps, s) })
		var b strings.Builder
		fmt.Fprintf(&b, "%v %+v", err, steps)
		assertNoSecret(t, "steps and error", b.String())
	})
}

func TestPlanLogin(t *testing.T) {
	tests := []struct {
		name  string
		env   inmem.Env
		flags app.LoginFlags
		want  app.LoginPlan
		msg   string // non-empty: the INVALID_ARGUMENT message
	}{
		{name: "browser", want: app.LoginPlan{Type: domain.TypeOAuthBrowser, Reason: domain.LoginByBrowser}},
		{
			name: "--username", flags: app.LoginFlags{Username: "u1", UsernameSet: true},
			want: app.LoginPlan{Type: domain.TypeServiceAccount, Reason: domain.LoginByServiceAccountFlags, Username: "u1"},
		},
		{
			name: "--service-account, username from MP_USERNAME", env: inmem.Env{"MP_USERNAME": "env-user"}, flags: app.LoginFlags{ServiceAccount: true},
			want: app.LoginPlan{Type: domain.TypeServiceAccount, Reason: domain.LoginByServiceAccountFlags, Username: "env-user"},
		},
		{
			name: "MP_USERNAME+MP_SECRET", env: inmem.Env{"MP_USERNAME": "env-user", "MP_SECRET": saSecret, "MP_OAUTH_TOKEN": envToken},
			want: app.LoginPlan{Type: domain.TypeServiceAccount, Reason: domain.LoginByEnvServiceAccount, Username: "env-user"},
		},
		{
			name: "--token-env", env: inmem.Env{"MY_TOKEN": envToken}, flags: app.LoginFlags{TokenEnv: "MY_TOKEN", TokenEnvSet: true},
			want: app.LoginPlan{Type: domain.TypeOAuthToken, Reason: domain.LoginByTokenEnvFlag, TokenEnv: "MY_TOKEN"},
		},
		{
			name: "MP_OAUTH_TOKEN", env: inmem.Env{"MP_OAUTH_TOKEN": envToken},
			want: app.LoginPlan{Type: domain.TypeOAuthToken, Reason: domain.LoginByEnvOAuthToken, TokenEnv: "MP_OAUTH_TOKEN"},
		},
		{name: "service account without a username", env: inmem.Env{"MP_SECRET": saSecret}, flags: app.LoginFlags{ServiceAccount: true}, msg: "a service account needs a username"},
		{name: "--token-env unset", flags: app.LoginFlags{TokenEnv: "UNSET_VAR", TokenEnvSet: true}, msg: "$UNSET_VAR is not set"},
		{name: "--token-env blank", env: inmem.Env{"B": " "}, flags: app.LoginFlags{TokenEnv: "B", TokenEnvSet: true}, msg: "$B is not set"},
		{name: "--token-env empty name", flags: app.LoginFlags{TokenEnvSet: true}, msg: `flag --token-env: "" is not a valid environment variable name`},
		{
			name: "--token-env with --secret-stdin", env: inmem.Env{"T": envToken}, flags: app.LoginFlags{TokenEnv: "T", TokenEnvSet: true, SecretStdin: true},
			msg: "--token-env cannot be combined with --service-account, --username or --secret-stdin",
		},
		{
			name: "--no-browser with MP_OAUTH_TOKEN", env: inmem.Env{"MP_OAUTH_TOKEN": envToken}, flags: app.LoginFlags{NoBrowser: true},
			msg: "--no-browser applies to the browser login only, and MP_OAUTH_TOKEN selects a oauth_token",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, domain.Config{}, tt.env)
			plan, err := f.app.Accounts.PlanLogin(tt.flags)
			if tt.msg != "" {
				if e := wantCode(t, err, domain.CodeInvalidArgument); e.Message != tt.msg {
					t.Errorf("message %q, want %q", e.Message, tt.msg)
				}
				return
			}
			if err != nil || plan != tt.want {
				t.Errorf("PlanLogin = %+v, %v; want %+v", plan, err, tt.want)
			}
		})
	}
}

// TestLoginAnyTokenEnvChecks: LoginAny checks the token variable with the
// same rule and words as PlanLogin.
func TestLoginAnyTokenEnvChecks(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		in  app.LoginInput
		msg string
	}{
		{app.LoginInput{Type: domain.TypeOAuthToken, TokenEnv: "not valid"}, `flag --token-env: "not valid" is not a valid environment variable name`},
		{app.LoginInput{TokenEnv: "UNSET"}, "$UNSET is not set"},
	} {
		f := newFixture(t, domain.Config{}, nil)
		_, err := f.app.Accounts.LoginAny(ctx, tt.in)
		if e := wantCode(t, err, domain.CodeInvalidArgument); e.Message != tt.msg {
			t.Errorf("%+v: message %q, want %q", tt.in, e.Message, tt.msg)
		}
		if f.api.Count("") != 0 {
			t.Error("network used for invalid input")
		}
	}
}
