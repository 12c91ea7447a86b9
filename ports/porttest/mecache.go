package porttest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
)

// MeCache is the contract suite of ports.MeCache.
type MeCache struct {
	// New returns an empty cache that no other test uses.
	New func(t *testing.T) ports.MeCache
	// Reopen returns a second handle on the state behind c, as a new
	// process would see it. A cache without durable state may return c.
	Reopen func(t *testing.T, c ports.MeCache) ports.MeCache
	// Corrupt, when set, damages the stored entry of account (for a file
	// cache: overwrites me.json with bytes that are not a /me document)
	// the way a crash or a hand edit would. The suite then checks that the
	// damaged entry reads as a miss and that a Put replaces it. Without
	// Corrupt that subtest is not run.
	Corrupt func(t *testing.T, c ports.MeCache, account domain.AccountName)
}

// concurrentPuts is how many Puts the concurrency subtest runs at once.
const concurrentPuts = 16

// Run runs every subtest of the contract.
func (c MeCache) Run(t *testing.T) {
	t.Helper()
	if c.New == nil || c.Reopen == nil {
		t.Fatal("porttest.MeCache: New and Reopen are required")
	}
	t.Run("MissOnEmpty", c.testMiss)
	t.Run("RoundTripKeepsRawAndCachedAt", c.testRoundTrip)
	t.Run("ZeroCachedAtStaysZero", c.testZeroCachedAt)
	t.Run("Overwrite", c.testOverwrite)
	t.Run("DeleteForgetsOnlyThatAccount", c.testDelete)
	t.Run("AccountsAreIsolated", c.testIsolation)
	if c.Corrupt != nil {
		t.Run("CorruptEntryIsMiss", c.testCorrupt)
	}
	t.Run("ConcurrentPuts", c.testConcurrentPuts)
	t.Run("PutRefusesEntryWithoutRaw", c.testPutWithoutRaw)
	t.Run("CancelledContext", c.testCancelledContext)
}

// SampleMeJSON is a /me results object (the envelope removed) that uses
// every field mp reads plus fields it does not know: a top-level
// "feature_flags", a project "type", an organisation "permissions" list
// and workspace member lists (which ParseMe drops from Raw).
const SampleMeJSON = `{
  "user_id": 42,
  "user_email": "jo@example.com",
  "user_name": "Jo Example",
  "feature_flags": {"new_nav": true, "beta": ["a", "b"]},
  "organizations": {
    "9": {"id": 9, "name": "Zeta Org", "role": "member"},
    "7": {"id": 7, "name": "Acme Corp", "role": "owner", "permissions": ["read", "write"]}
  },
  "projects": {
    "3713224": {"name": "AI Demo", "organization_id": 7, "timezone": "US/Pacific", "has_workspaces": true, "domain": "mixpanel.com", "type": "normal"},
    "3018488": {"name": "E-commerce EU", "organization_id": 7, "timezone": "Europe/Berlin", "has_workspaces": false, "domain": "eu.mixpanel.com"}
  },
  "workspaces": {
    "3448414": {"id": 3448414, "name": "All Project Data", "project_id": 3713224, "is_default": true, "is_global": true, "is_restricted": false, "is_visible": true, "member_list": [1, 2, 3]},
    "3448415": {"id": 3448415, "name": "Marketing", "project_id": 3713224, "is_default": false, "unified_member_list": [4]}
  }
}`

// SampleMe returns SampleMeJSON parsed with domain.ParseMe.
func SampleMe(t testing.TB) domain.Me {
	t.Helper()
	return MeOf(t, SampleMeJSON)
}

// MeOf parses a /me results object with domain.ParseMe, failing the test
// when it does not parse.
func MeOf(t testing.TB, results string) domain.Me {
	t.Helper()
	me, err := domain.ParseMe([]byte(results))
	if err != nil {
		t.Fatalf("ParseMe: %v", err)
	}
	return me
}

// otherMe is a second, different /me answer.
const otherMeJSON = `{"user_id": 77, "user_email": "sam@example.org", "organizations": {}, "projects": {"1": {"name": "Solo", "organization_id": 3, "domain": "in.mixpanel.com"}}, "workspaces": {}, "extra": [1, {"x": null}]}`

// cachedAt is a time with a fraction a float of Unix seconds holds exactly.
var cachedAt = time.Date(2026, 4, 1, 12, 30, 45, 250_000_000, time.UTC)

func (c MeCache) testMiss(t *testing.T) {
	m := c.New(t)
	for _, name := range []domain.AccountName{"personal", "never-stored"} {
		_, ok, err := m.Get(context.Background(), name)
		if err != nil {
			t.Fatalf("Get(%s) on an empty cache: %v", name, err)
		}
		if ok {
			t.Fatalf("Get(%s) on an empty cache: ok = true, want a miss", name)
		}
	}
}

func (c MeCache) testRoundTrip(t *testing.T) {
	m := c.New(t)
	want := domain.CachedMe{Me: SampleMe(t), CachedAt: cachedAt}
	mustPutMe(t, m, "personal", want)
	assertGetMe(t, m, "personal", want, "after Put")
	assertGetMe(t, c.Reopen(t, m), "personal", want, "after Reopen")
}

func (c MeCache) testZeroCachedAt(t *testing.T) {
	m := c.New(t)
	want := domain.CachedMe{Me: SampleMe(t)}
	mustPutMe(t, m, "personal", want)
	for _, s := range []ports.MeCache{m, c.Reopen(t, m)} {
		got := assertGetMe(t, s, "personal", want, "after a Put with a zero CachedAt")
		if got.FreshAt(cachedAt) {
			t.Fatal("an entry without a cache time is fresh; it must count as stale")
		}
	}
}

func (c MeCache) testDelete(t *testing.T) {
	m := c.New(t)
	ctx := context.Background()
	if err := m.Delete(ctx, "never-stored"); err != nil {
		t.Fatalf("Delete of a missing entry: %v", err)
	}
	keep := domain.CachedMe{Me: MeOf(t, otherMeJSON), CachedAt: cachedAt}
	mustPutMe(t, m, "personal", domain.CachedMe{Me: SampleMe(t), CachedAt: cachedAt})
	mustPutMe(t, m, "team", keep)
	if err := m.Delete(ctx, "personal"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	for _, s := range []ports.MeCache{m, c.Reopen(t, m)} {
		if _, ok, err := s.Get(ctx, "personal"); err != nil || ok {
			t.Fatalf("Get after Delete = ok %v, err %v; want a miss", ok, err)
		}
		assertGetMe(t, s, "team", keep, "after deleting another account")
	}
	if err := m.Delete(ctx, "personal"); err != nil {
		t.Fatalf("second Delete: %v", err)
	}
}

func (c MeCache) testOverwrite(t *testing.T) {
	m := c.New(t)
	mustPutMe(t, m, "personal", domain.CachedMe{Me: SampleMe(t), CachedAt: cachedAt})
	want := domain.CachedMe{Me: MeOf(t, otherMeJSON), CachedAt: cachedAt.Add(time.Hour)}
	mustPutMe(t, m, "personal", want)
	assertGetMe(t, m, "personal", want, "after the second Put")
	assertGetMe(t, c.Reopen(t, m), "personal", want, "after the second Put and Reopen")
}

func (c MeCache) testIsolation(t *testing.T) {
	m := c.New(t)
	a := domain.CachedMe{Me: SampleMe(t), CachedAt: cachedAt}
	b := domain.CachedMe{Me: MeOf(t, otherMeJSON), CachedAt: cachedAt.Add(-time.Hour)}
	mustPutMe(t, m, "team", a)
	mustPutMe(t, m, "team-2", b)
	r := c.Reopen(t, m)
	for _, s := range []ports.MeCache{m, r} {
		assertGetMe(t, s, "team", a, "for the first account")
		assertGetMe(t, s, "team-2", b, "for the second account")
		if _, ok, err := s.Get(context.Background(), "team-3"); err != nil || ok {
			t.Fatalf("Get of an account never stored = ok %t, err %v; want a miss", ok, err)
		}
	}
}

func (c MeCache) testCorrupt(t *testing.T) {
	m := c.New(t)
	mustPutMe(t, m, "broken", domain.CachedMe{Me: SampleMe(t), CachedAt: cachedAt})
	healthy := domain.CachedMe{Me: MeOf(t, otherMeJSON), CachedAt: cachedAt}
	mustPutMe(t, m, "healthy", healthy)
	c.Corrupt(t, m, "broken")
	for _, s := range []ports.MeCache{m, c.Reopen(t, m)} {
		_, ok, err := s.Get(context.Background(), "broken")
		if err != nil {
			t.Fatalf("Get of a corrupt entry: %v; a corrupt entry is a miss, never an error", err)
		}
		if ok {
			t.Fatal("Get of a corrupt entry: ok = true, want a miss")
		}
		assertGetMe(t, s, "healthy", healthy, "for an account next to the corrupt one")
	}
	want := domain.CachedMe{Me: SampleMe(t), CachedAt: cachedAt.Add(time.Minute)}
	mustPutMe(t, m, "broken", want)
	assertGetMe(t, c.Reopen(t, m), "broken", want, "after a Put over the corrupt entry")
}

func (c MeCache) testConcurrentPuts(t *testing.T) {
	m := c.New(t)
	entries := make([]domain.CachedMe, concurrentPuts)
	for i := range entries {
		js := fmt.Sprintf(`{"user_id": %d, "user_email": "u%d@example.com", "projects": {"%d": {"name": "P%d"}}, "n": %d}`, i+1, i, i+1, i, i)
		entries[i] = domain.CachedMe{Me: MeOf(t, js), CachedAt: cachedAt.Add(time.Duration(i) * time.Second)}
	}
	var wg sync.WaitGroup
	errs := make(chan error, 2*concurrentPuts)
	for i := range concurrentPuts {
		wg.Add(2)
		go func() {
			defer wg.Done()
			errs <- m.Put(context.Background(), domain.AccountName(fmt.Sprintf("acct-%02d", i)), entries[i])
		}()
		go func() {
			defer wg.Done()
			errs <- m.Put(context.Background(), "shared", entries[i])
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("concurrent Put: %v", err)
		}
	}
	for _, s := range []ports.MeCache{m, c.Reopen(t, m)} {
		for i := range concurrentPuts {
			assertGetMe(t, s, domain.AccountName(fmt.Sprintf("acct-%02d", i)), entries[i], "after concurrent Puts")
		}
		got, ok, err := s.Get(context.Background(), "shared")
		if err != nil || !ok {
			t.Fatalf("Get(shared) after concurrent Puts: ok %t, err %v", ok, err)
		}
		found := false
		for _, e := range entries {
			if sameCachedMe(got, e) {
				found = true
				break
			}
		}
		if !found {
			t.Fatalf("Get(shared) after concurrent Puts = user %d, cached %v: not one of the entries written (a torn write?)", got.Me.User.ID, got.CachedAt)
		}
	}
}

func (c MeCache) testPutWithoutRaw(t *testing.T) {
	m := c.New(t)
	me := SampleMe(t)
	me.Raw = nil
	err := m.Put(context.Background(), "personal", domain.CachedMe{Me: me, CachedAt: cachedAt})
	if !errors.Is(err, domain.CodeInvalidArgument) {
		t.Fatalf("Put of an entry without Raw: error = %v, want INVALID_ARGUMENT (the cache stores the /me document)", err)
	}
	if _, ok, err := m.Get(context.Background(), "personal"); err != nil || ok {
		t.Fatalf("Get after a refused Put: ok %t, err %v; want a miss", ok, err)
	}
}

func (c MeCache) testCancelledContext(t *testing.T) {
	m := c.New(t)
	want := domain.CachedMe{Me: SampleMe(t), CachedAt: cachedAt}
	mustPutMe(t, m, "personal", want)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := m.Get(ctx, "personal"); !errors.Is(err, context.Canceled) {
		t.Errorf("Get with a cancelled context: error = %v, want context.Canceled", err)
	}
	err := m.Put(ctx, "personal", domain.CachedMe{Me: MeOf(t, otherMeJSON), CachedAt: cachedAt})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Put with a cancelled context: error = %v, want context.Canceled", err)
	}
	if err := m.Put(ctx, "other", want); !errors.Is(err, context.Canceled) {
		t.Errorf("Put of a new account with a cancelled context: error = %v, want context.Canceled", err)
	}
	assertGetMe(t, c.Reopen(t, m), "personal", want, "after a Put with a cancelled context")
	if _, ok, err := c.Reopen(t, m).Get(context.Background(), "other"); err != nil || ok {
		t.Fatalf("Get of an account Put with a cancelled context: ok %t, err %v; want a miss", ok, err)
	}
}

func mustPutMe(t *testing.T, m ports.MeCache, account domain.AccountName, e domain.CachedMe) {
	t.Helper()
	if err := m.Put(context.Background(), account, e); err != nil {
		t.Fatalf("Put(%s): %v", account, err)
	}
}

func assertGetMe(t *testing.T, m ports.MeCache, account domain.AccountName, want domain.CachedMe, when string) domain.CachedMe {
	t.Helper()
	got, ok, err := m.Get(context.Background(), account)
	if err != nil {
		t.Fatalf("Get(%s) %s: %v", account, when, err)
	}
	if !ok {
		t.Fatalf("Get(%s) %s: a miss, want the entry", account, when)
	}
	if !sameCachedMe(got, want) {
		t.Fatalf("Get(%s) %s:\n got  %s\n want %s", account, when, describeMe(got), describeMe(want))
	}
	return got
}

// sameCachedMe compares two entries: the parsed fields exactly, Raw as
// JSON values (key order and spacing may change), and CachedAt to the
// millisecond (a file holds it as a float of Unix seconds).
func sameCachedMe(a, b domain.CachedMe) bool {
	if a.CachedAt.IsZero() != b.CachedAt.IsZero() {
		return false
	}
	d := a.CachedAt.Sub(b.CachedAt)
	if d < -time.Millisecond || d > time.Millisecond {
		return false
	}
	ma, mb := a.Me, b.Me
	ra, rb := ma.Raw, mb.Raw
	ma.Raw, mb.Raw = nil, nil
	return reflect.DeepEqual(ma, mb) && sameJSON(ra, rb)
}

func sameJSON(a, b []byte) bool {
	var va, vb any
	da := json.NewDecoder(bytes.NewReader(a))
	da.UseNumber()
	db := json.NewDecoder(bytes.NewReader(b))
	db.UseNumber()
	if da.Decode(&va) != nil || db.Decode(&vb) != nil {
		return false
	}
	return reflect.DeepEqual(va, vb)
}

func describeMe(e domain.CachedMe) string {
	return fmt.Sprintf("cached_at=%s user=%+v orgs=%+v projects=%+v workspaces=%+v raw=%s",
		e.CachedAt.UTC().Format(time.RFC3339Nano), e.Me.User, e.Me.Organizations, e.Me.Projects, e.Me.Workspaces, e.Me.Raw)
}
