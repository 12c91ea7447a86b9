package domain_test

import (
	"errors"
	"testing"

	"github.com/mpdata/mp/domain"
)

// wantInvalid checks that err is INVALID_ARGUMENT with exactly msg and hint.
func wantInvalid(t *testing.T, err error, msg, hint string) {
	t.Helper()
	var e *domain.Error
	if !errors.As(err, &e) || e.Code != domain.CodeInvalidArgument {
		t.Fatalf("error %v, want INVALID_ARGUMENT", err)
	}
	if e.Message != msg || e.Hint != hint {
		t.Errorf("error %q / hint %q\nwant  %q / hint %q", e.Message, e.Hint, msg, hint)
	}
}

func TestDetectLoginType(t *testing.T) {
	const (
		conflictMsg  = "--token-env cannot be combined with --service-account, --username or --secret-stdin"
		conflictHint = "a service account takes --username and a secret; an oauth_token account takes --token-env"
		noBrowserMsg = "--no-browser applies to the browser login only"
		noBrowserFix = "drop --no-browser, or drop the service-account/token flags for a browser login"
	)
	saEnv := domain.LoginSignals{EnvUsername: true, EnvSecret: true}
	tests := []struct {
		name   string
		in     domain.LoginSignals
		typ    domain.AccountType
		reason domain.LoginTypeReason
		msg    string // non-empty: the error message
		hint   string
	}{
		{name: "nothing: browser", typ: domain.TypeOAuthBrowser, reason: domain.LoginByBrowser},
		{name: "--no-browser alone: browser", in: domain.LoginSignals{NoBrowser: true}, typ: domain.TypeOAuthBrowser, reason: domain.LoginByBrowser},
		{name: "--service-account", in: domain.LoginSignals{ServiceAccount: true}, typ: domain.TypeServiceAccount, reason: domain.LoginByServiceAccountFlags},
		{name: "--username", in: domain.LoginSignals{Username: true}, typ: domain.TypeServiceAccount, reason: domain.LoginByServiceAccountFlags},
		{name: "--secret-stdin", in: domain.LoginSignals{SecretStdin: true}, typ: domain.TypeServiceAccount, reason: domain.LoginByServiceAccountFlags},
		{name: "--token-env", in: domain.LoginSignals{TokenEnv: true}, typ: domain.TypeOAuthToken, reason: domain.LoginByTokenEnvFlag},
		{
			name: "--token-env wins over MP_USERNAME+MP_SECRET", in: domain.LoginSignals{TokenEnv: true, EnvUsername: true, EnvSecret: true},
			typ: domain.TypeOAuthToken, reason: domain.LoginByTokenEnvFlag,
		},
		{
			name: "--service-account wins over MP_OAUTH_TOKEN", in: domain.LoginSignals{ServiceAccount: true, EnvOAuthToken: true},
			typ: domain.TypeServiceAccount, reason: domain.LoginByServiceAccountFlags,
		},
		{name: "MP_USERNAME+MP_SECRET", in: saEnv, typ: domain.TypeServiceAccount, reason: domain.LoginByEnvServiceAccount},
		{
			name: "MP_USERNAME+MP_SECRET win over MP_OAUTH_TOKEN", in: domain.LoginSignals{EnvUsername: true, EnvSecret: true, EnvOAuthToken: true},
			typ: domain.TypeServiceAccount, reason: domain.LoginByEnvServiceAccount,
		},
		{name: "MP_SECRET alone: browser", in: domain.LoginSignals{EnvSecret: true}, typ: domain.TypeOAuthBrowser, reason: domain.LoginByBrowser},
		{name: "MP_USERNAME alone: browser", in: domain.LoginSignals{EnvUsername: true}, typ: domain.TypeOAuthBrowser, reason: domain.LoginByBrowser},
		{
			name: "MP_USERNAME alone, MP_OAUTH_TOKEN", in: domain.LoginSignals{EnvUsername: true, EnvOAuthToken: true},
			typ: domain.TypeOAuthToken, reason: domain.LoginByEnvOAuthToken,
		},
		{name: "MP_OAUTH_TOKEN", in: domain.LoginSignals{EnvOAuthToken: true}, typ: domain.TypeOAuthToken, reason: domain.LoginByEnvOAuthToken},
		{name: "--token-env with --service-account", in: domain.LoginSignals{TokenEnv: true, ServiceAccount: true}, msg: conflictMsg, hint: conflictHint},
		{name: "--token-env with --username", in: domain.LoginSignals{TokenEnv: true, Username: true}, msg: conflictMsg, hint: conflictHint},
		{
			name: "--token-env with --secret-stdin and --no-browser: the conflict first",
			in:   domain.LoginSignals{TokenEnv: true, SecretStdin: true, NoBrowser: true}, msg: conflictMsg, hint: conflictHint,
		},
		{name: "--no-browser with --service-account", in: domain.LoginSignals{NoBrowser: true, ServiceAccount: true}, msg: noBrowserMsg, hint: noBrowserFix},
		{name: "--no-browser with --token-env", in: domain.LoginSignals{NoBrowser: true, TokenEnv: true}, msg: noBrowserMsg, hint: noBrowserFix},
		{
			name: "--no-browser with MP_USERNAME+MP_SECRET", in: domain.LoginSignals{NoBrowser: true, EnvUsername: true, EnvSecret: true},
			msg:  "--no-browser applies to the browser login only, and MP_USERNAME and MP_SECRET selects a service_account",
			hint: "unset MP_USERNAME and MP_SECRET for a browser login, or drop --no-browser",
		},
		{
			name: "--no-browser with MP_OAUTH_TOKEN", in: domain.LoginSignals{NoBrowser: true, EnvOAuthToken: true},
			msg:  "--no-browser applies to the browser login only, and MP_OAUTH_TOKEN selects a oauth_token",
			hint: "unset MP_OAUTH_TOKEN for a browser login, or drop --no-browser",
		},
		{name: "--no-browser with MP_SECRET alone: browser", in: domain.LoginSignals{NoBrowser: true, EnvSecret: true}, typ: domain.TypeOAuthBrowser, reason: domain.LoginByBrowser},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			typ, reason, err := domain.DetectLoginType(tt.in)
			if tt.msg != "" {
				wantInvalid(t, err, tt.msg, tt.hint)
				if typ != "" || reason != "" {
					t.Errorf("an error also returned %q/%q", typ, reason)
				}
				return
			}
			if err != nil || typ != tt.typ || reason != tt.reason {
				t.Errorf("DetectLoginType = %q, %q, %v; want %q, %q", typ, reason, err, tt.typ, tt.reason)
			}
		})
	}
}

// FuzzDetectLoginType checks the properties of the detection chain over
// every combination of signals.
func FuzzDetectLoginType(f *testing.F) {
	f.Add(uint8(0))
	f.Add(uint8(0xff))
	f.Add(uint8(0b1010_0101))
	f.Fuzz(func(t *testing.T, bits uint8) {
		s := domain.LoginSignals{
			ServiceAccount: bits&1 != 0, Username: bits&2 != 0, SecretStdin: bits&4 != 0, TokenEnv: bits&8 != 0,
			NoBrowser: bits&16 != 0, EnvUsername: bits&32 != 0, EnvSecret: bits&64 != 0, EnvOAuthToken: bits&128 != 0,
		}
		typ, reason, err := domain.DetectLoginType(s)
		saFlags := s.ServiceAccount || s.Username || s.SecretStdin
		flags := saFlags || s.TokenEnv
		if err != nil {
			if domain.CodeOf(err) != domain.CodeInvalidArgument {
				t.Fatalf("%+v: error %v is not INVALID_ARGUMENT", s, err)
			}
			// Only a flag conflict or --no-browser fails.
			if !(saFlags && s.TokenEnv) && !s.NoBrowser {
				t.Fatalf("%+v: error %v without a conflict or --no-browser", s, err)
			}
			return
		}
		if _, perr := domain.ParseAccountType(string(typ)); perr != nil || reason == "" {
			t.Fatalf("%+v: type %q reason %q", s, typ, reason)
		}
		// Explicit flags always win over the environment.
		switch {
		case saFlags && typ != domain.TypeServiceAccount, !saFlags && s.TokenEnv && typ != domain.TypeOAuthToken:
			t.Fatalf("%+v: the flags lost to the environment: %q", s, typ)
		}
		// --no-browser never goes with anything but a browser login.
		if s.NoBrowser && typ != domain.TypeOAuthBrowser {
			t.Fatalf("%+v: --no-browser with %q", s, typ)
		}
		// Without flags the environment decides, in the order of the chain.
		if !flags {
			want := domain.TypeOAuthBrowser
			switch {
			case s.EnvUsername && s.EnvSecret:
				want = domain.TypeServiceAccount
			case s.EnvOAuthToken:
				want = domain.TypeOAuthToken
			}
			if typ != want {
				t.Fatalf("%+v: %q, want %q", s, typ, want)
			}
		}
		// The browser login is taken exactly when nothing selects a type.
		if (typ == domain.TypeOAuthBrowser) != (!flags && !(s.EnvUsername && s.EnvSecret) && !s.EnvOAuthToken) {
			t.Fatalf("%+v: %q", s, typ)
		}
	})
}

// TestDetectLoginTypeNeverFailsWithoutFlags: with no credential flag and
// no --no-browser, every environment gives a type.
func TestDetectLoginTypeNeverFailsWithoutFlags(t *testing.T) {
	for bits := range 8 {
		s := domain.LoginSignals{EnvUsername: bits&1 != 0, EnvSecret: bits&2 != 0, EnvOAuthToken: bits&4 != 0}
		if _, _, err := domain.DetectLoginType(s); err != nil {
			t.Errorf("%+v: %v", s, err)
		}
	}
}

func TestLoginUsername(t *testing.T) {
	for _, tt := range []struct{ flag, env, want string }{
		{"flag-user", "env-user", "flag-user"},
		{"", "env-user", "env-user"},
		{"flag-user", "", "flag-user"},
	} {
		if got, err := domain.LoginUsername(tt.flag, tt.env); err != nil || got != tt.want {
			t.Errorf("LoginUsername(%q, %q) = %q, %v; want %q", tt.flag, tt.env, got, err, tt.want)
		}
	}
	_, err := domain.LoginUsername("", "")
	wantInvalid(t, err, "a service account needs a username", "pass --username USER or set MP_USERNAME")
}

func TestCheckTokenEnv(t *testing.T) {
	const hint = "use a name like MP_CI_TOKEN (letters, digits, _; not starting with a digit)"
	for _, name := range []string{"MP_CI_TOKEN", "_x", "a1"} {
		if err := domain.CheckTokenEnvName(name); err != nil {
			t.Errorf("CheckTokenEnvName(%q) = %v", name, err)
		}
		if err := domain.CheckLoginTokenEnv(name, "tok"); err != nil {
			t.Errorf("CheckLoginTokenEnv(%q) = %v", name, err)
		}
	}
	for _, name := range []string{"", "1X", "NOT A VAR", "A-B", "É"} {
		msg := "flag --token-env: \"" + name + "\" is not a valid environment variable name"
		wantInvalid(t, domain.CheckTokenEnvName(name), msg, hint)
		// The name is checked before the value.
		wantInvalid(t, domain.CheckLoginTokenEnv(name, "tok"), msg, hint)
	}
	for _, v := range []string{"", "  ", "\t\n"} {
		wantInvalid(t, domain.CheckLoginTokenEnv("MY_TOKEN", v), "$MY_TOKEN is not set",
			"export MY_TOKEN=<token> first; mp login checks the token with /me")
	}
}

func TestPickSecretSource(t *testing.T) {
	tests := []struct {
		stdin, env, prompt bool
		want               domain.SecretSource
	}{
		{true, true, true, domain.SecretFromStdin},
		{true, false, false, domain.SecretFromStdin},
		{false, true, true, domain.SecretFromEnv},
		{false, true, false, domain.SecretFromEnv},
		{false, false, true, domain.SecretFromPrompt},
	}
	for _, tt := range tests {
		if got, err := domain.PickSecretSource(tt.stdin, tt.env, tt.prompt); err != nil || got != tt.want {
			t.Errorf("PickSecretSource(%v, %v, %v) = %q, %v; want %q", tt.stdin, tt.env, tt.prompt, got, err, tt.want)
		}
	}
	_, err := domain.PickSecretSource(false, false, false)
	wantInvalid(t, err, "a service account needs a secret and none was given",
		"pipe it to --secret-stdin, or set MP_SECRET, or run on a terminal to be prompted")
}
