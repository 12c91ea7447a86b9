package domain_test

import (
	"strings"
	"testing"
	"time"

	"github.com/mpdata/mp/domain"
)

func TestExternalSecrets(t *testing.T) {
	tr := true
	tests := []struct {
		name string
		a    domain.Account
		ok   bool
	}{
		{"sa external", domain.Account{Name: "a", Type: domain.TypeServiceAccount, Region: "us", Username: "u", External: true}, true},
		{"sa external and inline", domain.Account{Name: "a", Type: domain.TypeServiceAccount, Region: "us", Username: "u", Secret: domain.NewSecret("s"), External: true}, false},
		{"sa external needs username", domain.Account{Name: "a", Type: domain.TypeServiceAccount, Region: "us", External: true}, false},
		{"token external", domain.Account{Name: "a", Type: domain.TypeOAuthToken, Region: "us", External: true}, true},
		{"token external and env", domain.Account{Name: "a", Type: domain.TypeOAuthToken, Region: "us", TokenEnv: "X", External: true}, false},
		{"token external and inline", domain.Account{Name: "a", Type: domain.TypeOAuthToken, Region: "us", Token: domain.NewSecret("t"), External: true}, false},
		{"browser external", domain.Account{Name: "a", Type: domain.TypeOAuthBrowser, Region: "us", External: true}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.a.Validate(); (err == nil) != tt.ok {
				t.Fatalf("Validate = %v, want ok %v", err, tt.ok)
			}
		})
	}
	// A patch moves a secret out of the config and back.
	a := domain.Account{Name: "a", Type: domain.TypeServiceAccount, Region: "us", Username: "u", Secret: domain.NewSecret("s")}
	out, err := domain.AccountPatch{External: &tr}.Apply(a)
	if err != nil || !out.External || !out.Secret.IsZero() {
		t.Fatalf("External patch = %+v, %v", out, err)
	}
	s := domain.NewSecret("s2")
	back, err := domain.AccountPatch{Secret: &s}.Apply(out)
	if err != nil || back.External || !back.Secret.Equal(s) {
		t.Fatalf("Secret patch = %+v, %v", back, err)
	}
}

func TestSecretSettings(t *testing.T) {
	if _, err := domain.ParseSecretBackend("vault"); domain.CodeOf(err) != domain.CodeInvalidArgument {
		t.Fatalf("ParseSecretBackend(vault) = %v", err)
	}
	if b, err := domain.ParseSecretBackend(""); err != nil || b != domain.SecretBackendFile {
		t.Fatalf(`ParseSecretBackend("") = %v, %v`, b, err)
	}
	cmds := domain.SecretCommands{"acme": {"pass", "show", "mp/acme"}}
	cfg, err := domain.NewConfig(domain.ConfigData{Settings: domain.Settings{SecretCommands: cmds}})
	if err != nil {
		t.Fatal(err)
	}
	cmds["acme"][0] = "changed"
	if got := cfg.Settings().SecretCommands["acme"][0]; got != "pass" {
		t.Fatalf("the config shares its commands with the caller: %q", got)
	}
	c2 := cfg.Clone()
	c2.Settings().SecretCommands["acme"][0] = "x"
	if got := cfg.Settings().SecretCommands["acme"][0]; got != "pass" {
		t.Fatalf("Settings() shares its commands: %q", got)
	}
	if _, err := domain.NewConfig(domain.ConfigData{Settings: domain.Settings{SecretCommands: domain.SecretCommands{"acme": {}}}}); err == nil {
		t.Fatal("an empty command was accepted")
	}
	if err := cfg.SetSecretBackend("vault"); err == nil {
		t.Fatal("SetSecretBackend(vault) was accepted")
	}
}

func TestTokensJSONRoundTrip(t *testing.T) {
	in := domain.Tokens{
		AccessToken: domain.NewSecret("at"), RefreshToken: domain.NewSecret("rt"),
		ExpiresAt: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC), TokenType: "Bearer", Scope: "read", ClientID: "c1",
	}
	data, err := domain.EncodeTokensJSON(in)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"expires_at": "2030-01-02T03:04:05+00:00"`) {
		t.Fatalf("encoded = %s", data)
	}
	out, err := domain.DecodeTokensJSON(data)
	if err != nil || !out.Equal(in) {
		t.Fatalf("round trip = %+v, %v", out, err)
	}
	for _, bad := range []string{`[]`, `{"access_token": ""}`, `{"access_token": "a", "expires_at": "2030-01-02T03:04:05"}`} {
		if _, err := domain.DecodeTokensJSON([]byte(bad)); err == nil {
			t.Errorf("DecodeTokensJSON(%s) accepted", bad)
		}
	}
}

// [settings.token_backends] records only the keychain: the file backend is
// the absence of an entry; bad entries fail validation; clones share
// nothing.
func TestTokenBackends(t *testing.T) {
	var cfg domain.Config
	if got := cfg.Settings().TokenBackends.Of("me"); got != domain.SecretBackendFile {
		t.Fatalf("unrecorded = %q, want file", got)
	}
	if err := cfg.SetTokenBackend("me", domain.SecretBackendKeychain); err != nil {
		t.Fatal(err)
	}
	clone := cfg.Clone()
	if err := cfg.SetTokenBackend("me", domain.SecretBackendFile); err != nil {
		t.Fatal(err)
	}
	if cfg.Settings().TokenBackends != nil {
		t.Fatalf("after setting file: %v, want no entry", cfg.Settings().TokenBackends)
	}
	if clone.Settings().TokenBackends.Of("me") != domain.SecretBackendKeychain {
		t.Fatal("the clone shares the record map")
	}
	st := clone.Settings()
	st.TokenBackends["other"] = domain.SecretBackendKeychain
	if len(clone.Settings().TokenBackends) != 1 {
		t.Fatal("Settings() hands out the config's own map")
	}
	for _, tt := range []struct {
		name    string
		account domain.AccountName
		backend domain.SecretBackend
	}{
		{"bad name", "../x", domain.SecretBackendKeychain},
		{"bad backend", "me", "vault"},
	} {
		if err := cfg.SetTokenBackend(tt.account, tt.backend); domain.CodeOf(err) != domain.CodeInvalidArgument {
			t.Errorf("%s: SetTokenBackend = %v, want INVALID_ARGUMENT", tt.name, err)
		}
	}
	for name, tb := range map[string]domain.TokenBackends{
		"bad name":    {"a b": domain.SecretBackendKeychain},
		"bad backend": {"me": "vault"},
		"empty":       {"me": ""},
	} {
		if _, err := domain.NewConfig(domain.ConfigData{Settings: domain.Settings{TokenBackends: tb}}); err == nil || !strings.Contains(err.Error(), "token_backends") {
			t.Errorf("%s: NewConfig = %v, want an error naming [settings.token_backends]", name, err)
		}
	}
}
