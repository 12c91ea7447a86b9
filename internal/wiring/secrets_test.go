package wiring_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/internal/wiring"
	"github.com/mpdata/mp/ports/inmem"
)

// The explicit backend comes from MP_SECRET_BACKEND alone: [settings]
// secret_backend is read by the App at each write (empty here), so that a
// migration applies to an App built before it; the commands come from
// [settings.secret_commands].
func TestResolveSecrets(t *testing.T) {
	home := t.TempDir()
	dir := filepath.Join(home, ".mp")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	write := func(content string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, "config.toml"), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name, config string
		env          inmem.Env
		want         domain.SecretBackend
	}{
		{"no config", "", inmem.Env{}, ""},
		{"setting is left to the App", "[settings]\nsecret_backend = \"keychain\"\n", inmem.Env{}, ""},
		{"env wins", "[settings]\nsecret_backend = \"keychain\"\n", inmem.Env{"MP_SECRET_BACKEND": "file"}, domain.SecretBackendFile},
		{"env alone", "", inmem.Env{"MP_SECRET_BACKEND": " keychain "}, domain.SecretBackendKeychain},
		{"broken config", "[settings\n", inmem.Env{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			write(tt.config)
			if got := wiring.Resolve(tt.env, home).SecretBackend; got != tt.want {
				t.Fatalf("SecretBackend = %q, want %q", got, tt.want)
			}
		})
	}
	write("[settings.secret_commands]\nacme = [\"pass\", \"show\", \"mp/acme\"]\n")
	if got := wiring.Resolve(inmem.Env{}, home).SecretCommands["acme"]; !slices.Equal(got, []string{"pass", "show", "mp/acme"}) {
		t.Fatalf("SecretCommands[acme] = %v", got)
	}
}

func TestBuildPerBackend(t *testing.T) {
	home := t.TempDir()
	for _, b := range []domain.SecretBackend{domain.SecretBackendFile, domain.SecretBackendKeychain} {
		s := wiring.Resolve(inmem.Env{}, home)
		s.SecretBackend = b
		if _, err := wiring.Build(s); err != nil {
			t.Fatalf("Build(%s): %v", b, err)
		}
	}
	s := wiring.Resolve(inmem.Env{"MP_SECRET_BACKEND": "vault"}, home)
	_, err := wiring.Build(s)
	if domain.CodeOf(err) != domain.CodeConfigError {
		t.Fatalf("Build with MP_SECRET_BACKEND=vault = %v; want CONFIG_ERROR", err)
	}
}
