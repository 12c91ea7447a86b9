package filestore_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/mpdata/mp/adapters/filestore"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
	"github.com/mpdata/mp/ports/porttest"
)

func (e tokenEnv) clients() *filestore.ClientCache { return filestore.NewClientCache(e.root, e.home) }

func (e tokenEnv) clientPath(region string) string {
	return filepath.Join(e.root, "oauth", "client_"+region+".json")
}

func (e tokenEnv) writeClient(t *testing.T, region, data string) {
	t.Helper()
	p := e.clientPath(region)
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

func TestClientCacheContract(t *testing.T) {
	envs := map[ports.ClientCache]tokenEnv{}
	porttest.ClientCache{
		New: func(t *testing.T) ports.ClientCache {
			e := newTokenEnv(t)
			c := e.clients()
			envs[c] = e
			return c
		},
		Reopen: func(t *testing.T, c ports.ClientCache) ports.ClientCache {
			e, ok := envs[c]
			if !ok {
				t.Fatal("Reopen of a cache New did not make")
			}
			r := e.clients()
			envs[r] = e
			return r
		},
	}.Run(t)
}

func TestClientCacheFileFormat(t *testing.T) {
	e := newTokenEnv(t)
	client := porttest.SampleClient(domain.RegionEU, 19285)
	client.CreatedAt = time.Date(2026, 3, 2, 9, 15, 0, 250_000_000, time.FixedZone("CET", 3600))
	if err := e.clients().Put(context.Background(), client); err != nil {
		t.Fatal(err)
	}
	p := e.clientPath("eu")
	if e.clients().Path(domain.RegionEU) != p {
		t.Fatalf("Path(eu) = %s; want %s", e.clients().Path(domain.RegionEU), p)
	}
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"client_id":    client.ClientID,
		"region":       "eu",
		"redirect_uri": "http://localhost:19285/callback",
		"scope":        domain.OAuthScope,
		"created_at":   "2026-03-02T08:15:00+00:00",
	}
	if len(doc) != len(want) {
		t.Fatalf("client file has keys %v; want exactly those of %v", keysOf(doc), keysOf(want))
	}
	for k, v := range want {
		if doc[k] != v {
			t.Errorf("client file %s = %v; want %v", k, doc[k], v)
		}
	}
	assertPrivate(t, p, 0o600)
	assertPrivate(t, filepath.Dir(p), 0o700)
}

func TestClientCacheReadsForeignFiles(t *testing.T) {
	cases := []struct {
		name, content string
		ok            bool
		created       time.Time
	}{
		{"python file", `{"client_id": "py-client", "region": "us", "redirect_uri": "http://localhost:19284/callback", "scope": "projects", "created_at": "2026-03-02T08:15:00.123456+00:00", "client_name": "mixpanel-cli"}`, true, time.Date(2026, 3, 2, 8, 15, 0, 123456000, time.UTC)},
		{"Z and no scope", `{"client_id": "c", "region": "us", "redirect_uri": "http://localhost:19284/callback", "created_at": "2026-03-02T08:15:00Z"}`, true, time.Date(2026, 3, 2, 8, 15, 0, 0, time.UTC)},
		{"bad created_at is zero", `{"client_id": "c", "region": "us", "redirect_uri": "x", "created_at": "yesterday"}`, true, time.Time{}},
		{"naive created_at is zero", `{"client_id": "c", "region": "us", "redirect_uri": "x", "created_at": "2026-03-02T08:15:00"}`, true, time.Time{}},
		{"numeric created_at is zero", `{"client_id": "c", "region": "us", "redirect_uri": "x", "created_at": 1772438100}`, true, time.Time{}},
		{"other region", `{"client_id": "c", "region": "eu", "redirect_uri": "x"}`, false, time.Time{}},
		{"no client id", `{"region": "us", "redirect_uri": "x"}`, false, time.Time{}},
		{"not json", `client_id=c`, false, time.Time{}},
		{"wrong types", `{"client_id": 5, "region": "us"}`, false, time.Time{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newTokenEnv(t)
			e.writeClient(t, "us", tc.content)
			got, ok, err := e.clients().Get(context.Background(), domain.RegionUS)
			if err != nil {
				t.Fatalf("Get: %v; a damaged cache is a miss, never an error", err)
			}
			if ok != tc.ok {
				t.Fatalf("Get: ok %t; want %t", ok, tc.ok)
			}
			if ok && (!got.CreatedAt.Equal(tc.created) || got.Region != domain.RegionUS) {
				t.Fatalf("Get = %+v; want created_at %v", got, tc.created)
			}
			// A Put replaces whatever was there.
			want := porttest.SampleClient(domain.RegionUS, 19287)
			if err := e.clients().Put(context.Background(), want); err != nil {
				t.Fatal(err)
			}
			if got, ok, err := e.clients().Get(context.Background(), domain.RegionUS); err != nil || !ok || got.ClientID != want.ClientID {
				t.Fatalf("Get after Put = %+v, %t, %v", got, ok, err)
			}
		})
	}
}

func TestClientCacheRefusesUnsafeFile(t *testing.T) {
	e := newTokenEnv(t)
	e.writeClient(t, "in", `{"client_id": "c", "region": "in", "redirect_uri": "x"}`)
	if err := os.Chmod(e.clientPath("in"), 0o640); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.clients().Get(context.Background(), domain.RegionIN); !errors.Is(err, domain.CodeCredentialFileUnsafe) {
		t.Fatalf("Get of a 0640 client file: %v; want CREDENTIAL_FILE_UNSAFE", err)
	}
}

func keysOf(m map[string]any) []string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
