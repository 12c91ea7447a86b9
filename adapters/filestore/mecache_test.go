package filestore_test

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/mpdata/mp/adapters/filestore"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
	"github.com/mpdata/mp/ports/porttest"
)

// meEnv is a temporary home with the storage root at <home>/.mp.
type meEnv struct {
	home, root string
}

func newMeEnv(t *testing.T) meEnv {
	t.Helper()
	home := t.TempDir()
	return meEnv{home: home, root: filepath.Join(home, ".mp")}
}

func (e meEnv) cache() *filestore.MeCache { return filestore.NewMeCache(e.root, e.home) }

func (e meEnv) path(account string) string {
	return filepath.Join(e.root, "accounts", account, "me.json")
}

// write puts data at the account's me.json with mode 0600.
func (e meEnv) write(t *testing.T, account string, data []byte) {
	t.Helper()
	p := e.path(account)
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestMeCacheContract(t *testing.T) {
	envs := map[ports.MeCache]meEnv{}
	porttest.MeCache{
		New: func(t *testing.T) ports.MeCache {
			e := newMeEnv(t)
			c := e.cache()
			envs[c] = e
			return c
		},
		Reopen: func(t *testing.T, c ports.MeCache) ports.MeCache {
			e, ok := envs[c]
			if !ok {
				t.Fatal("Reopen of a cache New did not make")
			}
			r := e.cache()
			envs[r] = e
			return r
		},
		Corrupt: func(t *testing.T, c ports.MeCache, account domain.AccountName) {
			envs[c].write(t, string(account), []byte(`{"user_id": 1, "projects": {"3713224": {"name": "AI De`))
		},
	}.Run(t)
}

// TestMeCacheReadsPythonFile reads a me.json as the Python tool writes it:
// indented, every /me field (nulls included), cached_at a float with more
// digits than a microsecond.
func TestMeCacheReadsPythonFile(t *testing.T) {
	e := newMeEnv(t)
	data, err := os.ReadFile(filepath.Join("testdata", "me-python.json"))
	if err != nil {
		t.Fatal(err)
	}
	e.write(t, "ana", data)
	got, ok, err := e.cache().Get(context.Background(), "ana")
	if err != nil || !ok {
		t.Fatalf("Get = ok %t, err %v", ok, err)
	}
	wantAt := time.Date(2026, 4, 1, 12, 30, 45, 123457000, time.UTC)
	if d := got.CachedAt.Sub(wantAt); d < -time.Microsecond || d > time.Microsecond {
		t.Fatalf("CachedAt = %s, want %s", got.CachedAt.Format(time.RFC3339Nano), wantAt.Format(time.RFC3339Nano))
	}
	me := got.Me
	if me.User != (domain.User{ID: 123456, Email: "ana@example.com", Name: "Ana Lima"}) {
		t.Fatalf("User = %+v", me.User)
	}
	if len(me.Organizations) != 2 || me.Organizations[0].Name != "Acme Analytics" || me.Organizations[1].ID != 1002 {
		t.Fatalf("Organizations = %+v", me.Organizations)
	}
	wantProjects := []domain.Project{
		{ID: "3713224", Name: "AI Demo", OrganizationID: 1001, Timezone: "US/Pacific", Domain: "mixpanel.com", HasWorkspaces: true},
		{ID: "3018488", Name: "E-commerce EU", OrganizationID: 1002, Timezone: "Europe/Berlin", Domain: "eu.mixpanel.com"},
	}
	if !reflect.DeepEqual(me.Projects, wantProjects) {
		t.Fatalf("Projects = %+v", me.Projects)
	}
	if w, ok := me.Workspace(3448414); !ok || w.Name != "All Project Data" || !w.IsDefault || w.ProjectID != "3713224" {
		t.Fatalf("Workspace = %+v, %t", w, ok)
	}
	var raw map[string]any
	if err := json.Unmarshal(me.Raw, &raw); err != nil {
		t.Fatal(err)
	}
	if _, ok := raw["cached_at"]; ok {
		t.Fatal("Raw holds cached_at; it is the cache's field, not /me's")
	}
	if raw["user_is_sso"] != false {
		t.Fatalf("unknown top-level field lost: %v", raw["user_is_sso"])
	}

	// Written back, the file keeps the unknown fields and a float cached_at.
	if err := e.cache().Put(context.Background(), "ana", got); err != nil {
		t.Fatal(err)
	}
	var back map[string]any
	if err := json.Unmarshal(readFile(t, e.path("ana")), &back); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"user_is_sso", "organizations", "projects", "workspaces", "user_id"} {
		if _, ok := back[k]; !ok {
			t.Errorf("rewritten file lost %q", k)
		}
	}
	if at, ok := back["cached_at"].(float64); !ok || at < 1775046645.1234 || at > 1775046645.1235 {
		t.Fatalf("rewritten cached_at = %v, want 1775046645.123457", back["cached_at"])
	}
	if p := back["projects"].(map[string]any)["3018488"].(map[string]any); p["cluster_id"] != float64(7) {
		t.Fatalf("unknown project field lost: %v", p)
	}
}

func TestMeCacheFileFormat(t *testing.T) {
	e := newMeEnv(t)
	at := time.Date(2026, 4, 1, 12, 30, 45, 500_000_000, time.UTC)
	if err := e.cache().Put(context.Background(), "team", domain.CachedMe{Me: porttest.SampleMe(t), CachedAt: at}); err != nil {
		t.Fatal(err)
	}
	data := readFile(t, e.path("team"))
	if !strings.Contains(string(data), `"cached_at": 1775046645.500000`) {
		t.Fatalf("cached_at not written as Unix seconds:\n%s", data)
	}
	if strings.Contains(string(data), "member_list") {
		t.Fatalf("member lists cached:\n%s", data)
	}
	if !strings.Contains(string(data), `"feature_flags"`) {
		t.Fatalf("unknown field dropped:\n%s", data)
	}
	for p, want := range map[string]fs.FileMode{
		e.path("team"):                             0o600,
		filepath.Dir(e.path("team")):               0o700,
		filepath.Join(e.root, "accounts"):          0o700,
		filepath.Dir(filepath.Dir(e.path("team"))): 0o700,
	} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != want {
			t.Errorf("mode of %s = %04o, want %04o", p, got, want)
		}
	}
	entries, err := os.ReadDir(filepath.Dir(e.path("team")))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Fatalf("account directory holds %d entries, want only me.json (a temporary file left?)", len(entries))
	}
}

func TestMeCacheStaleAndCorrupt(t *testing.T) {
	ctx := context.Background()
	body := `{"user_id": 5, "user_email": "x@example.com", "projects": {"1": {"name": "One"}}`
	tests := []struct {
		name  string
		data  string
		ok    bool
		stale bool
	}{
		{"no cached_at is stale", body + `}`, true, true},
		{"null cached_at is stale", body + `, "cached_at": null}`, true, true},
		{"string cached_at is stale", body + `, "cached_at": "1775046645"}`, true, true},
		{"negative cached_at is stale", body + `, "cached_at": -5}`, true, true},
		{"integer cached_at", body + `, "cached_at": 1775046645}`, true, false},
		{"empty file", ``, false, false},
		{"truncated", body, false, false},
		{"not an object", `[1, 2]`, false, false},
		{"null", `null`, false, false},
		{"projects of the wrong shape", `{"projects": [1]}`, false, false},
		{"binary", "\x00\x01\xff", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newMeEnv(t)
			e.write(t, "acct", []byte(tt.data))
			got, ok, err := e.cache().Get(ctx, "acct")
			if err != nil {
				t.Fatalf("Get: %v", err)
			}
			if ok != tt.ok {
				t.Fatalf("ok = %t, want %t", ok, tt.ok)
			}
			if !ok {
				return
			}
			if got.Me.User.Email != "x@example.com" {
				t.Fatalf("Me = %+v", got.Me.User)
			}
			if got.CachedAt.IsZero() != tt.stale {
				t.Fatalf("CachedAt = %v, want stale %t", got.CachedAt, tt.stale)
			}
			if !tt.stale && !got.CachedAt.Equal(time.Unix(1775046645, 0)) {
				t.Fatalf("CachedAt = %v", got.CachedAt)
			}
		})
	}
}

func TestMeCacheRefusesUnsafeFiles(t *testing.T) {
	ctx := context.Background()
	t.Run("group-readable", func(t *testing.T) {
		e := newMeEnv(t)
		e.write(t, "acct", []byte(porttest.SampleMeJSON))
		if err := os.Chmod(e.path("acct"), 0o644); err != nil {
			t.Fatal(err)
		}
		_, ok, err := e.cache().Get(ctx, "acct")
		assertError(t, err, domain.CodeCredentialFileUnsafe, e.path("acct"), "chmod 600")
		if ok {
			t.Fatal("ok with an error")
		}
	})
	t.Run("symlink", func(t *testing.T) {
		e := newMeEnv(t)
		elsewhere := filepath.Join(e.home, "elsewhere.json")
		if err := os.WriteFile(elsewhere, []byte(porttest.SampleMeJSON), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(e.path("acct")), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(elsewhere, e.path("acct")); err != nil {
			t.Fatal(err)
		}
		_, _, err := e.cache().Get(ctx, "acct")
		assertError(t, err, domain.CodeCredentialFileUnsafe, e.path("acct"), "symbolic link")
		err = e.cache().Put(ctx, "acct", domain.CachedMe{Me: porttest.SampleMe(t), CachedAt: time.Now()})
		assertError(t, err, domain.CodeCredentialFileUnsafe, e.path("acct"), "symbolic link")
		if got := readFile(t, elsewhere); string(got) != porttest.SampleMeJSON {
			t.Fatal("Put wrote through the symlink")
		}
	})
	t.Run("symlinked account directory", func(t *testing.T) {
		e := newMeEnv(t)
		real := filepath.Join(e.home, "real")
		if err := os.MkdirAll(real, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(e.root, "accounts"), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(real, filepath.Join(e.root, "accounts", "acct")); err != nil {
			t.Fatal(err)
		}
		_, _, err := e.cache().Get(ctx, "acct")
		assertError(t, err, domain.CodeCredentialFileUnsafe, e.path("acct"), "symbolic link")
	})
	t.Run("directory at the file's place", func(t *testing.T) {
		e := newMeEnv(t)
		if err := os.MkdirAll(e.path("acct"), 0o700); err != nil {
			t.Fatal(err)
		}
		_, _, err := e.cache().Get(ctx, "acct")
		assertError(t, err, domain.CodeCredentialFileUnsafe, e.path("acct"), "not a regular file")
	})
}

func TestMeCacheRefusesBadAccountNames(t *testing.T) {
	ctx := context.Background()
	e := newMeEnv(t)
	for _, name := range []domain.AccountName{"", "..", "../escape", "a/b", ".hidden"} {
		if _, _, err := e.cache().Get(ctx, name); !errors.Is(err, domain.CodeInvalidArgument) {
			t.Errorf("Get(%q) error = %v, want INVALID_ARGUMENT", name, err)
		}
		err := e.cache().Put(ctx, name, domain.CachedMe{Me: porttest.SampleMe(t)})
		if !errors.Is(err, domain.CodeInvalidArgument) {
			t.Errorf("Put(%q) error = %v, want INVALID_ARGUMENT", name, err)
		}
	}
	if _, err := os.Stat(filepath.Join(e.root)); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("a refused name created files: %v", err)
	}
}

func readFile(t *testing.T, p string) []byte {
	t.Helper()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
