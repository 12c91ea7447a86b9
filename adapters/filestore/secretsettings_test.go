package filestore_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/mpdata/mp/adapters/filestore"
	"github.com/mpdata/mp/domain"
)

// Secrets kept in a secret store are empty values in the account blocks
// (the Python tool's schema); secret_backend and secret_commands live under
// [settings] and survive a rewrite next to keys mp does not know.
func TestConfigSecretsElsewhere(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	e.write(t, `[accounts.sa]
type = "service_account"
region = "us"
username = "u"
secret = ""

[accounts.tok]
type = "oauth_token"
region = "eu"
token = ""

[accounts.inline]
type = "service_account"
region = "us"
username = "u"
secret = "inline-s3cret"

[settings]
secret_backend = "keychain"
python_only = 1

[settings.secret_commands]
tok = ["pass", "show", "mp/{account}"]

[settings.token_backends]
me = "keychain"
old = "file"
`)
	cfg, err := e.store().Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sa, _ := cfg.Account("sa")
	tok, _ := cfg.Account("tok")
	inline, _ := cfg.Account("inline")
	if !sa.External || !sa.Secret.IsZero() || !tok.External || inline.External {
		t.Fatalf("External: sa %v, tok %v, inline %v", sa.External, tok.External, inline.External)
	}
	st := cfg.Settings()
	if st.SecretBackend != domain.SecretBackendKeychain || !slices.Equal(st.SecretCommands["tok"], []string{"pass", "show", "mp/{account}"}) ||
		st.TokenBackends.Of("me") != domain.SecretBackendKeychain || len(st.TokenBackends) != 1 {
		t.Fatalf("settings = %+v", st)
	}
	if err := e.store().Update(ctx, func(c *domain.Config) error {
		return c.SetSecretBackend(domain.SecretBackendFile)
	}); err != nil {
		t.Fatal(err)
	}
	out := string(e.read(t))
	for _, want := range []string{
		"[accounts.sa]\ntype = \"service_account\"\nregion = \"us\"\nusername = \"u\"\nsecret = \"\"\n",
		"[accounts.tok]\ntype = \"oauth_token\"\nregion = \"eu\"\ntoken = \"\"\n",
		"secret_backend = \"file\"",
		"python_only = 1",
		"[settings.secret_commands]\ntok = ['pass', 'show', 'mp/{account}']",
		"[settings.token_backends]\nme = \"keychain\"\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("rewritten config lacks %q:\n%s", want, out)
		}
	}
	if strings.Count(out, "secret_backend") != 1 {
		t.Errorf("secret_backend written %d times:\n%s", strings.Count(out, "secret_backend"), out)
	}
}

func TestConfigSecretSettingsErrors(t *testing.T) {
	tests := []struct {
		name, settings, want string
	}{
		{"backend", `secret_backend = "vault"`, "secret_backend"},
		{"commands not a table", `secret_commands = 3`, "secret_commands"},
		{"empty argv", "[settings.secret_commands]\nacme = []", "non-empty array"},
		{"argv not strings", "[settings.secret_commands]\nacme = [1]", "non-empty array"},
		{"bad name", "[settings.secret_commands]\n\"a b\" = [\"x\"]", "secret_commands"},
		{"token backends not a table", `token_backends = "keychain"`, "token_backends"},
		{"token backend unknown", "[settings.token_backends]\nme = \"vault\"", "token_backends"},
		{"token backend not a string", "[settings.token_backends]\nme = 1", "token_backends"},
		{"token backend bad name", "[settings.token_backends]\n\"a b\" = \"keychain\"", "token_backends"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.write(t, "[settings]\n"+tt.settings+"\n")
			_, err := filestore.NewConfigStore(e.path, e.home).Load(context.Background())
			assertError(t, err, domain.CodeConfigError, tt.want)
		})
	}
}
