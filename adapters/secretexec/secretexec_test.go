package secretexec_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/mpdata/mp/adapters/secretexec"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
	"github.com/mpdata/mp/ports/porttest"
)

func needSh(t *testing.T) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the test commands use /bin/sh")
	}
}

// catCommand prints <dir>/<account>.<kind>, or nothing when it is missing.
func catCommand(dir string) []string {
	return []string{"sh", "-c", `cat "$0" 2>/dev/null || true`, filepath.Join(dir, "{account}.{kind}")}
}

func TestContract(t *testing.T) {
	needSh(t)
	dirs := map[ports.SecretStore]string{}
	porttest.SecretStore{
		New: func(t *testing.T) ports.SecretStore {
			dir := t.TempDir()
			s := secretexec.New(secretexec.Options{Default: catCommand(dir)})
			dirs[s] = dir
			return s
		},
		Reopen: func(_ *testing.T, s ports.SecretStore) ports.SecretStore {
			r := secretexec.New(secretexec.Options{Default: catCommand(dirs[s])})
			dirs[r] = dirs[s]
			return r
		},
		Seed: func(t *testing.T, s ports.SecretStore, key ports.SecretKey, value []byte) {
			if err := os.WriteFile(filepath.Join(dirs[s], string(key.Account)+"."+string(key.Kind)), value, 0o600); err != nil {
				t.Fatal(err)
			}
		},
		TextOnly: true,
	}.Run(t)
}

func TestCommands(t *testing.T) {
	needSh(t)
	ctx := context.Background()
	k := ports.SecretKey{Account: "acme", Kind: ports.SecretServiceAccount}
	tests := []struct {
		name   string
		argv   []string
		want   string
		code   domain.Code
		is     error
		inErr  []string
		notErr []string
	}{
		{name: "trimmed stdout", argv: []string{"printf", "  s3cret-{account}-{kind}\n\n"}, want: "s3cret-acme-secret"},
		{name: "no shell", argv: []string{"echo", "$HOME;{account}"}, want: "$HOME;acme"},
		{
			name: "fails with stderr", argv: []string{"sh", "-c", `echo "vault is locked" >&2; exit 3`},
			code: domain.CodeSecretStoreUnavailable, is: ports.ErrUnavailable, inErr: []string{"vault is locked", "exit status 3", "acme"},
		},
		{
			name: "stdout never in stderr quote", argv: []string{"sh", "-c", `echo topsecretvalue; echo "bad topsecretvalue" >&2; exit 1`},
			code: domain.CodeSecretStoreUnavailable, inErr: []string{"[REDACTED]"}, notErr: []string{"topsecretvalue"},
		},
		{
			name: "long stderr is cut", argv: []string{"sh", "-c", `i=0; while [ $i -lt 200 ]; do printf 'xxxxxxxxxx'; i=$((i+1)); done >&2; exit 1`},
			code: domain.CodeSecretStoreUnavailable, inErr: []string{"…"}, notErr: []string{strings.Repeat("x", 400)},
		},
		{name: "prints nothing", argv: []string{"true"}, code: domain.CodeConfigError, is: ports.ErrNotFound},
		{name: "not installed", argv: []string{"mp-no-such-command-xyz"}, code: domain.CodeConfigError, inErr: []string{"mp-no-such-command-xyz", "not installed"}},
		{name: "missing path", argv: []string{"/nonexistent/bin/pass"}, code: domain.CodeConfigError, inErr: []string{"not installed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := secretexec.New(secretexec.Options{Commands: map[domain.AccountName][]string{"acme": tt.argv}})
			got, err := s.Get(ctx, k)
			if tt.code == "" {
				if err != nil || string(got) != tt.want {
					t.Fatalf("Get = %q, %v; want %q", got, err, tt.want)
				}
				return
			}
			if domain.CodeOf(err) != tt.code {
				t.Fatalf("Get = %q, %v; want code %s", got, err, tt.code)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Fatalf("Get error %v does not match %v", err, tt.is)
			}
			for _, f := range tt.inErr {
				if !strings.Contains(err.Error(), f) {
					t.Errorf("error %q lacks %q", err, f)
				}
			}
			for _, f := range tt.notErr {
				if strings.Contains(err.Error(), f) {
					t.Errorf("error %q contains %q", err, f)
				}
			}
			assertNoSentinelText(t, err)
		})
	}
}

// assertNoSentinelText fails when err's text ends with the text of a
// ports sentinel ("…: secret store unavailable"): the user reads the
// error's sentence alone, while errors.Is still matches the sentinel.
func assertNoSentinelText(t *testing.T, err error) {
	t.Helper()
	for _, s := range []ports.SecretError{ports.ErrNotFound, ports.ErrTooLarge, ports.ErrUnavailable, ports.ErrReadOnly, ports.ErrUnsupportedKind} {
		if strings.Contains(err.Error(), string(s)) {
			t.Errorf("error %q shows the sentinel text %q", err, s)
		}
	}
}

func TestTimeout(t *testing.T) {
	needSh(t)
	s := secretexec.New(secretexec.Options{
		Commands: map[domain.AccountName][]string{"acme": {"sleep", "30"}},
		Timeout:  100 * time.Millisecond,
	})
	_, err := s.Get(context.Background(), ports.SecretKey{Account: "acme", Kind: ports.SecretStaticToken})
	if !errors.Is(err, ports.ErrUnavailable) || !strings.Contains(err.Error(), "did not finish") {
		t.Fatalf("Get of a hanging command = %v; want SECRET_STORE_UNAVAILABLE", err)
	}
	assertNoSentinelText(t, err)
}

func TestNoCommandIsNotFound(t *testing.T) {
	s := secretexec.New(secretexec.Options{Commands: map[domain.AccountName][]string{"other": {"true"}}})
	if s.Has("acme") || !s.Has("other") {
		t.Fatal("Has is wrong")
	}
	_, err := s.Get(context.Background(), ports.SecretKey{Account: "acme", Kind: ports.SecretServiceAccount})
	if !errors.Is(err, ports.ErrNotFound) {
		t.Fatalf("Get without a command = %v; want ErrNotFound", err)
	}
}

// The errors of a read-only write and of a missing command match their
// sentinel without showing its text.
func TestErrorsMatchWithoutSentinelText(t *testing.T) {
	ctx := context.Background()
	s := secretexec.New(secretexec.Options{Commands: map[domain.AccountName][]string{"acme": {"true"}}})
	k := ports.SecretKey{Account: "acme", Kind: ports.SecretServiceAccount}
	for _, tt := range []struct {
		name string
		err  error
		is   error
	}{
		{"set", s.Set(ctx, k, []byte("v")), ports.ErrReadOnly},
		{"delete", s.Delete(ctx, k), ports.ErrReadOnly},
		{"no command", func() error {
			_, err := s.Get(ctx, ports.SecretKey{Account: "other", Kind: ports.SecretServiceAccount})
			return err
		}(), ports.ErrNotFound},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if !errors.Is(tt.err, tt.is) || domain.CodeOf(tt.err) != domain.CodeConfigError {
				t.Fatalf("err = %v; want CONFIG_ERROR matching %v", tt.err, tt.is)
			}
			assertNoSentinelText(t, tt.err)
		})
	}
}
