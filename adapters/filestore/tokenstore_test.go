package filestore_test

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mpdata/mp/adapters/filestore"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
	"github.com/mpdata/mp/ports/porttest"
)

// tokenEnv is a temporary home with the storage root at <home>/.mp.
type tokenEnv struct {
	home, root string
}

func newTokenEnv(t *testing.T) tokenEnv {
	t.Helper()
	home := t.TempDir()
	return tokenEnv{home: home, root: filepath.Join(home, ".mp")}
}

func (e tokenEnv) store() *filestore.TokenStore { return filestore.NewTokenStore(e.root, e.home) }

func (e tokenEnv) path(account string) string {
	return filepath.Join(e.root, "accounts", account, "tokens.json")
}

// write puts data at the account's tokens.json with mode 0600.
func (e tokenEnv) write(t *testing.T, account, data string) {
	t.Helper()
	p := e.path(account)
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestTokenStoreContract(t *testing.T) {
	envs := map[ports.TokenStore]tokenEnv{}
	porttest.TokenStore{
		New: func(t *testing.T) ports.TokenStore {
			e := newTokenEnv(t)
			s := e.store()
			envs[s] = e
			return s
		},
		Reopen: func(t *testing.T, s ports.TokenStore) ports.TokenStore {
			e, ok := envs[s]
			if !ok {
				t.Fatal("Reopen of a store New did not make")
			}
			r := e.store()
			envs[r] = e
			return r
		},
		Corrupt: func(t *testing.T, s ports.TokenStore, account domain.AccountName) {
			envs[s].write(t, string(account), `{"access_token": "at-trunc`)
		},
	}.Run(t)
}

// pythonTokens is a tokens.json as the Python tool writes it: no
// client_id, an expiry with microseconds and "+00:00", and a key mp does
// not know.
const pythonTokens = `{
  "access_token": "py-access-7f3a",
  "refresh_token": "py-refresh-9b1c",
  "expires_at": "2026-04-01T13:30:45.123456+00:00",
  "scope": "projects analysis events",
  "token_type": "Bearer",
  "extra_python_field": {"nested": [1, 2]}
}
`

func TestTokenStoreLoadsPythonFile(t *testing.T) {
	e := newTokenEnv(t)
	e.write(t, "personal", pythonTokens)
	got, ok, err := e.store().Load(context.Background(), "personal")
	if err != nil || !ok {
		t.Fatalf("Load of a Python tokens.json: ok %t, err %v", ok, err)
	}
	want := domain.Tokens{
		AccessToken:  domain.NewSecret("py-access-7f3a"),
		RefreshToken: domain.NewSecret("py-refresh-9b1c"),
		ExpiresAt:    time.Date(2026, 4, 1, 13, 30, 45, 123456000, time.UTC),
		TokenType:    "Bearer",
		Scope:        "projects analysis events",
	}
	if !porttest.SameTokens(got, want) {
		t.Fatalf("Load of a Python tokens.json:\n got  %s\n want %s", porttest.DescribeTokens(got), porttest.DescribeTokens(want))
	}
}

func TestTokenStoreWritesExactFormat(t *testing.T) {
	e := newTokenEnv(t)
	tokens := porttest.SampleTokens("fmt")
	tokens.ExpiresAt = time.Date(2026, 4, 1, 15, 0, 45, 900_000_000, time.FixedZone("CEST", 2*3600))
	if err := e.store().Save(context.Background(), "personal", tokens); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(e.path("personal"))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("tokens.json is not JSON: %v", err)
	}
	var keys []string
	for k := range doc {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	wantKeys := []string{"access_token", "client_id", "expires_at", "refresh_token", "scope", "token_type"}
	if !slices.Equal(keys, wantKeys) {
		t.Fatalf("tokens.json keys = %v; want exactly %v", keys, wantKeys)
	}
	want := map[string]any{
		"access_token":  tokens.AccessToken.Reveal(),
		"refresh_token": tokens.RefreshToken.Reveal(),
		"expires_at":    "2026-04-01T13:00:45+00:00", // UTC, to the second, "+00:00"
		"token_type":    "Bearer",
		"scope":         domain.OAuthScope,
		"client_id":     "client-fmt",
	}
	for k, v := range want {
		if doc[k] != v {
			t.Errorf("tokens.json %s = %v; want %v", k, doc[k], v)
		}
	}
	// Keys in the order of docs/reference/files.md.
	order := []string{`"access_token"`, `"expires_at"`, `"token_type"`, `"scope"`, `"refresh_token"`, `"client_id"`}
	last := -1
	for _, k := range order {
		i := strings.Index(string(data), k)
		if i < last {
			t.Fatalf("tokens.json keys out of order:\n%s", data)
		}
		last = i
	}
	assertPrivate(t, e.path("personal"), 0o600)
	assertPrivate(t, filepath.Dir(e.path("personal")), 0o700)
	assertNoTemp(t, filepath.Dir(e.path("personal")))

	// Without a refresh token or an expiry those keys are absent.
	sparse := domain.Tokens{AccessToken: domain.NewSecret("a"), TokenType: "Bearer", ClientID: "c"}
	if err := e.store().Save(context.Background(), "sparse", sparse); err != nil {
		t.Fatal(err)
	}
	data, _ = os.ReadFile(e.path("sparse"))
	for _, k := range []string{"refresh_token", "expires_at"} {
		if strings.Contains(string(data), k) {
			t.Errorf("tokens.json without %s mentions it:\n%s", k, data)
		}
	}
}

func TestTokenStoreExpiryForms(t *testing.T) {
	base := time.Date(2026, 4, 1, 13, 30, 45, 0, time.UTC)
	cases := []struct {
		name, value string
		want        time.Time
		wantErr     string
	}{
		{"plus zero", "2026-04-01T13:30:45+00:00", base, ""},
		{"Z", "2026-04-01T13:30:45Z", base, ""},
		{"other offset", "2026-04-01T15:30:45+02:00", base, ""},
		{"negative offset", "2026-04-01T08:30:45-05:00", base, ""},
		{"fraction", "2026-04-01T13:30:45.5Z", base.Add(500 * time.Millisecond), ""},
		{"space separator", "2026-04-01 13:30:45+00:00", base, ""},
		{"naive", "2026-04-01T13:30:45", time.Time{}, "no UTC offset"},
		{"naive fraction", "2026-04-01T13:30:45.123456", time.Time{}, "no UTC offset"},
		{"date only", "2026-04-01", time.Time{}, "not RFC 3339"},
		{"garbage", "tomorrow", time.Time{}, "not RFC 3339"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newTokenEnv(t)
			e.write(t, "acct", `{"access_token": "secret-at-1", "expires_at": "`+tc.value+`", "token_type": "Bearer", "scope": "", "client_id": "c"}`)
			got, ok, err := e.store().Load(context.Background(), "acct")
			if tc.wantErr == "" {
				if err != nil || !ok {
					t.Fatalf("Load: ok %t, err %v", ok, err)
				}
				if !got.ExpiresAt.Equal(tc.want) || got.ExpiresAt.Location() != time.UTC {
					t.Fatalf("ExpiresAt = %v; want %v in UTC", got.ExpiresAt, tc.want)
				}
				return
			}
			assertCorrupt(t, err, e.path("acct"), "acct")
			if !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("error %q does not say %q", err, tc.wantErr)
			}
		})
	}
}

func TestTokenStoreCorruptFiles(t *testing.T) {
	cases := map[string]string{
		"not json":               `access_token=x`,
		"array":                  `["secret-at-1"]`,
		"empty":                  ``,
		"null":                   `null`,
		"no access token":        `{"refresh_token": "secret-rt-1", "expires_at": "2026-04-01T13:30:45Z"}`,
		"empty access token":     `{"access_token": ""}`,
		"access token number":    `{"access_token": 42}`,
		"refresh token object":   `{"access_token": "secret-at-1", "refresh_token": {"v": "secret-rt-1"}}`,
		"expires_at number":      `{"access_token": "secret-at-1", "expires_at": 1775050245}`,
		"truncated":              `{"access_token": "secret-at-1", "expi`,
		"client id not a string": `{"access_token": "secret-at-1", "client_id": ["c"]}`,
	}
	for name, content := range cases {
		t.Run(name, func(t *testing.T) {
			e := newTokenEnv(t)
			e.write(t, "acct", content)
			_, _, err := e.store().Load(context.Background(), "acct")
			assertCorrupt(t, err, e.path("acct"), "acct")
			for _, secret := range []string{"secret-at-1", "secret-rt-1"} {
				if strings.Contains(err.Error(), secret) || strings.Contains(hintOf(err), secret) {
					t.Fatalf("the error quotes a token: %v", err)
				}
			}
		})
	}
}

func TestTokenStoreNullsAreAbsent(t *testing.T) {
	e := newTokenEnv(t)
	e.write(t, "acct", `{"access_token": "at", "refresh_token": null, "scope": null, "expires_at": null, "token_type": "Bearer", "client_id": null}`)
	got, ok, err := e.store().Load(context.Background(), "acct")
	if err != nil || !ok {
		t.Fatalf("Load: ok %t, err %v", ok, err)
	}
	if !got.RefreshToken.IsZero() || got.Scope != "" || !got.ExpiresAt.IsZero() || got.ClientID != "" {
		t.Fatalf("nulls did not read as absent: %s", porttest.DescribeTokens(got))
	}
}

func TestTokenStoreRefusesUnsafeFiles(t *testing.T) {
	t.Run("open mode", func(t *testing.T) {
		e := newTokenEnv(t)
		e.write(t, "acct", `{"access_token": "at"}`)
		if err := os.Chmod(e.path("acct"), 0o644); err != nil {
			t.Fatal(err)
		}
		_, _, err := e.store().Load(context.Background(), "acct")
		if !errors.Is(err, domain.CodeCredentialFileUnsafe) || !strings.Contains(hintOf(err), "chmod 600") {
			t.Fatalf("Load of a 0644 tokens.json: %v (hint %q); want CREDENTIAL_FILE_UNSAFE with chmod 600", err, hintOf(err))
		}
	})
	t.Run("symlink", func(t *testing.T) {
		e := newTokenEnv(t)
		target := filepath.Join(e.home, "elsewhere.json")
		if err := os.WriteFile(target, []byte(`{"access_token": "at"}`), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(e.path("acct")), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, e.path("acct")); err != nil {
			t.Fatal(err)
		}
		if _, _, err := e.store().Load(context.Background(), "acct"); !errors.Is(err, domain.CodeCredentialFileUnsafe) {
			t.Fatalf("Load through a symlink: %v; want CREDENTIAL_FILE_UNSAFE", err)
		}
		if err := e.store().Save(context.Background(), "acct", porttest.SampleTokens("x")); !errors.Is(err, domain.CodeCredentialFileUnsafe) {
			t.Fatalf("Save through a symlink: %v; want CREDENTIAL_FILE_UNSAFE", err)
		}
		if data, _ := os.ReadFile(target); string(data) != `{"access_token": "at"}` {
			t.Fatalf("the symlink's target was written: %s", data)
		}
		// Delete refuses the link (as reads and writes do): the user
		// checks what it points to; neither it nor its target goes.
		existed, err := e.store().Delete(context.Background(), "acct")
		if !errors.Is(err, domain.CodeCredentialFileUnsafe) || existed {
			t.Fatalf("Delete of a symlinked tokens.json: existed %t, err %v; want CREDENTIAL_FILE_UNSAFE", existed, err)
		}
		if _, err := os.Lstat(e.path("acct")); err != nil {
			t.Fatalf("Delete removed the symlink: %v", err)
		}
		if _, err := os.Stat(target); err != nil {
			t.Fatalf("Delete removed the symlink's target: %v", err)
		}
	})
	t.Run("symlinked account directory", func(t *testing.T) {
		e := newTokenEnv(t)
		real := filepath.Join(e.home, "real-dir")
		if err := os.MkdirAll(real, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(real, "tokens.json"), []byte(`{"access_token": "at"}`), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(e.root, "accounts"), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(real, filepath.Join(e.root, "accounts", "acct")); err != nil {
			t.Fatal(err)
		}
		s := e.store()
		if _, _, err := s.Load(context.Background(), "acct"); !errors.Is(err, domain.CodeCredentialFileUnsafe) {
			t.Fatalf("Load under a symlinked directory: %v; want CREDENTIAL_FILE_UNSAFE", err)
		}
		if _, err := s.Delete(context.Background(), "acct"); !errors.Is(err, domain.CodeCredentialFileUnsafe) {
			t.Fatalf("Delete under a symlinked directory: %v; want CREDENTIAL_FILE_UNSAFE", err)
		}
		if _, err := os.Stat(filepath.Join(real, "tokens.json")); err != nil {
			t.Fatalf("Delete removed a file through a symlinked directory: %v", err)
		}
		if unlock, err := s.LockRefresh(context.Background(), "acct"); !errors.Is(err, domain.CodeCredentialFileUnsafe) {
			if unlock != nil {
				unlock()
			}
			t.Fatalf("LockRefresh under a symlinked directory: %v; want CREDENTIAL_FILE_UNSAFE", err)
		}
	})
}

func TestTokenStoreLockFile(t *testing.T) {
	e := newTokenEnv(t)
	s := e.store()
	unlock, err := s.LockRefresh(context.Background(), "acct")
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	lock := filepath.Join(e.root, "accounts", "acct", ".refresh.lock")
	if s.LockPath("acct") != lock {
		t.Fatalf("LockPath = %s; want %s", s.LockPath("acct"), lock)
	}
	assertPrivate(t, lock, 0o600)
	assertPrivate(t, filepath.Dir(lock), 0o700)

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err = s.LockRefresh(ctx, "acct")
	var de *domain.Error
	if !errors.As(err, &de) || de.Code != domain.CodeOAuthRefreshError || de.Details["retryable"] != true {
		t.Fatalf("LockRefresh past its deadline: %v; want OAUTH_REFRESH_ERROR with retryable", err)
	}
	if !strings.Contains(de.Message, "acct") || !strings.Contains(de.Message, lock) {
		t.Fatalf("busy error %q does not name the account and the lock file", de.Message)
	}
}

func assertCorrupt(t *testing.T, err error, path, account string) {
	t.Helper()
	var de *domain.Error
	if !errors.As(err, &de) || de.Code != domain.CodeOAuthTokenError {
		t.Fatalf("Load of a corrupt tokens.json: %v; want OAUTH_TOKEN_ERROR", err)
	}
	if !strings.Contains(de.Message, path) {
		t.Fatalf("error %q does not name the file %s", de.Message, path)
	}
	if !strings.Contains(de.Hint, "mp account login "+account) {
		t.Fatalf("hint %q does not give the fix `mp account login %s`", de.Hint, account)
	}
}

func assertPrivate(t *testing.T, path string, want fs.FileMode) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != want {
		t.Fatalf("%s has mode %04o; want %04o", path, got, want)
	}
}

func assertNoTemp(t *testing.T, dir string) {
	t.Helper()
	des, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range des {
		if strings.Contains(d.Name(), ".tmp") {
			t.Fatalf("temporary file left in %s: %s", dir, d.Name())
		}
	}
}

func hintOf(err error) string {
	var de *domain.Error
	if errors.As(err, &de) {
		return de.Hint
	}
	return ""
}
