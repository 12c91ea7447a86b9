package filestore_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/mpdata/mp/adapters/filestore"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
	"github.com/mpdata/mp/ports/porttest"
)

func TestSecretStoreContract(t *testing.T) {
	roots := map[ports.SecretStore]tokenEnv{}
	porttest.SecretStore{
		New: func(t *testing.T) ports.SecretStore {
			e := newTokenEnv(t)
			s := filestore.NewSecretStore(e.root, e.home)
			roots[s] = e
			return s
		},
		Reopen: func(t *testing.T, s ports.SecretStore) ports.SecretStore {
			e, ok := roots[s]
			if !ok {
				t.Fatal("Reopen of a store New did not make")
			}
			r := filestore.NewSecretStore(e.root, e.home)
			roots[r] = e
			return r
		},
		MaxSize: filestore.SecretMaxSize,
		Kinds:   filestore.SecretKinds(),
	}.Run(t)
}

// Only token sets are kept in files: a secret or static token key is
// refused with advice, and no file is written for it.
func TestSecretStoreRefusesInlineKinds(t *testing.T) {
	ctx := context.Background()
	e := newTokenEnv(t)
	s := filestore.NewSecretStore(e.root, e.home)
	for _, kind := range []ports.SecretKind{ports.SecretServiceAccount, ports.SecretStaticToken} {
		k := ports.SecretKey{Account: "acme", Kind: kind}
		err := s.Set(ctx, k, []byte("s3cret"))
		if !errors.Is(err, ports.ErrUnsupportedKind) {
			t.Fatalf("Set(%s) = %v; want ErrUnsupportedKind", k, err)
		}
		assertError(t, err, domain.CodeInvalidArgument, "config.toml")
		if s.Path(k) != "" {
			t.Errorf("Path(%s) = %q; want none", k, s.Path(k))
		}
	}
	if _, err := os.Stat(filepath.Join(e.root, "accounts", "acme")); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("a refused key created the account directory: %v", err)
	}
}

// The token-set kind is tokens.json itself: what the SecretStore holds, the
// TokenStore reads, and the reverse; files are 0600 under 0700 directories.
func TestSecretStoreTokenSetIsTokensJSON(t *testing.T) {
	ctx := context.Background()
	e := newTokenEnv(t)
	secrets := filestore.NewSecretStore(e.root, e.home)
	tokens := e.store()
	k := ports.SecretKey{Account: "acme", Kind: ports.SecretTokenSet}
	if got, want := secrets.Path(k), e.path("acme"); got != want {
		t.Fatalf("Path = %s, want %s", got, want)
	}
	doc := []byte(`{"access_token": "at-1", "expires_at": "2030-01-01T00:00:00+00:00", "token_type": "Bearer", "scope": "read"}`)
	if err := secrets.Set(ctx, k, doc); err != nil {
		t.Fatal(err)
	}
	got, ok, err := tokens.Load(ctx, "acme")
	if err != nil || !ok || got.AccessToken.Reveal() != "at-1" {
		t.Fatalf("TokenStore.Load after SecretStore.Set = %v, %v, %v", got.AccessToken.Reveal(), ok, err)
	}
	if err := tokens.Save(ctx, "acme", domain.Tokens{AccessToken: domain.NewSecret("at-2"), TokenType: "Bearer"}); err != nil {
		t.Fatal(err)
	}
	raw, err := secrets.Get(ctx, k)
	if err != nil {
		t.Fatal(err)
	}
	if want, _ := os.ReadFile(e.path("acme")); string(raw) != string(want) {
		t.Fatalf("SecretStore.Get = %q, tokens.json holds %q", raw, want)
	}
	if runtime.GOOS == "windows" {
		return
	}
	for _, p := range []string{e.path("acme"), filepath.Dir(e.path("acme"))} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		want := os.FileMode(0o600)
		if fi.IsDir() {
			want = 0o700
		}
		if fi.Mode().Perm() != want {
			t.Errorf("%s has mode %o, want %o", p, fi.Mode().Perm(), want)
		}
	}
}

// An unsafe secret file is refused, not read.
func TestSecretStoreRefusesUnsafeFile(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("modes are not checked on windows")
	}
	ctx := context.Background()
	e := newTokenEnv(t)
	s := filestore.NewSecretStore(e.root, e.home)
	k := ports.SecretKey{Account: "acme", Kind: ports.SecretTokenSet}
	if err := s.Set(ctx, k, []byte(`{"access_token": "s3cret"}`)); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(s.Path(k), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := s.Get(ctx, k)
	assertError(t, err, domain.CodeCredentialFileUnsafe, "chmod 600")
}
