package porttest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
)

// TokenStore is the contract suite of ports.TokenStore.
type TokenStore struct {
	// New returns an empty store that no other test uses.
	New func(t *testing.T) ports.TokenStore
	// Reopen returns a second handle on the state behind s, as a new
	// process would see it (its refresh lock included). A store without
	// durable state may return s.
	Reopen func(t *testing.T, s ports.TokenStore) ports.TokenStore
	// Corrupt, when set, damages the stored tokens of account (for a file
	// store: overwrites tokens.json with bytes that are not a tokens
	// document). The suite then checks that Load fails with
	// OAUTH_TOKEN_ERROR whose hint names `mp account login ACCOUNT`, and
	// that Save replaces and Delete removes the damaged tokens. Without
	// Corrupt that subtest is not run.
	Corrupt func(t *testing.T, s ports.TokenStore, account domain.AccountName)
}

// Run runs every subtest of the contract.
func (c TokenStore) Run(t *testing.T) {
	t.Helper()
	if c.New == nil || c.Reopen == nil {
		t.Fatal("porttest.TokenStore: New and Reopen are required")
	}
	t.Run("MissingIsNotOK", c.testMissing)
	t.Run("RoundTrip", c.testRoundTrip)
	t.Run("RoundTripWithoutRefreshTokenOrExpiry", c.testRoundTripSparse)
	t.Run("Overwrite", c.testOverwrite)
	t.Run("DeleteIsIdempotent", c.testDelete)
	t.Run("AccountsAreIsolated", c.testIsolation)
	t.Run("SaveRefusesTokensWithoutAccessToken", c.testSaveWithoutAccessToken)
	t.Run("InvalidAccountName", c.testInvalidName)
	if c.Corrupt != nil {
		t.Run("CorruptTokensAreAnError", c.testCorrupt)
	}
	t.Run("LockRefreshExcludesUntilUnlock", c.testLockExcludes)
	t.Run("LockRefreshExcludesAcrossHandles", c.testLockAcrossHandles)
	t.Run("LockRefreshHonoursDeadline", c.testLockDeadline)
	t.Run("LockRefreshIsPerAccount", c.testLockPerAccount)
	t.Run("UnlockTwiceIsHarmless", c.testUnlockTwice)
	t.Run("CancelledContext", c.testCancelledContext)
}

// expiresAt is a whole-second expiry (files keep expires_at to the second).
var expiresAt = time.Date(2026, 4, 1, 13, 30, 45, 0, time.UTC)

// SampleTokens returns a complete token set whose secrets are unique to
// seed, so that tests can tell sets apart.
func SampleTokens(seed string) domain.Tokens {
	return domain.Tokens{
		AccessToken:  domain.NewSecret("at-" + seed + "-Zx9Qw"),
		RefreshToken: domain.NewSecret("rt-" + seed + "-Kp2Lm"),
		ExpiresAt:    expiresAt,
		TokenType:    "Bearer",
		Scope:        domain.OAuthScope,
		ClientID:     "client-" + seed,
	}
}

func (c TokenStore) testMissing(t *testing.T) {
	s := c.New(t)
	for _, name := range []domain.AccountName{"personal", "never-stored"} {
		_, ok, err := s.Load(context.Background(), name)
		if err != nil || ok {
			t.Fatalf("Load(%s) on an empty store: ok %t, err %v; want no tokens and no error", name, ok, err)
		}
	}
}

func (c TokenStore) testRoundTrip(t *testing.T) {
	s := c.New(t)
	want := SampleTokens("one")
	mustSaveTokens(t, s, "personal", want)
	assertLoadTokens(t, s, "personal", want, "after Save")
	assertLoadTokens(t, c.Reopen(t, s), "personal", want, "after Reopen")

	// An expiry in another zone is the same instant.
	zoned := SampleTokens("zoned")
	zoned.ExpiresAt = expiresAt.In(time.FixedZone("UTC+5:30", 5*3600+1800))
	mustSaveTokens(t, s, "zoned", zoned)
	assertLoadTokens(t, c.Reopen(t, s), "zoned", zoned, "for an expiry given in UTC+5:30")
}

func (c TokenStore) testRoundTripSparse(t *testing.T) {
	s := c.New(t)
	want := domain.Tokens{AccessToken: domain.NewSecret("at-sparse-Qq1"), TokenType: "Bearer", ClientID: "client-sparse"}
	mustSaveTokens(t, s, "sparse", want)
	got := assertLoadTokens(t, c.Reopen(t, s), "sparse", want, "without refresh token and expiry")
	if !got.RefreshToken.IsZero() {
		t.Fatal("a saved set without refresh token loads with one")
	}
	if !got.ExpiresAt.IsZero() {
		t.Fatalf("a saved set without expiry loads with expiry %v", got.ExpiresAt)
	}
}

func (c TokenStore) testOverwrite(t *testing.T) {
	s := c.New(t)
	mustSaveTokens(t, s, "personal", SampleTokens("old"))
	want := SampleTokens("new")
	want.ExpiresAt = expiresAt.Add(time.Hour)
	want.RefreshToken = domain.Secret{}
	mustSaveTokens(t, s, "personal", want)
	assertLoadTokens(t, s, "personal", want, "after the second Save")
	assertLoadTokens(t, c.Reopen(t, s), "personal", want, "after the second Save and Reopen")
}

func (c TokenStore) testDelete(t *testing.T) {
	s := c.New(t)
	mustSaveTokens(t, s, "personal", SampleTokens("del"))
	keep := SampleTokens("keep")
	mustSaveTokens(t, s, "other", keep)
	existed, err := s.Delete(context.Background(), "personal")
	if err != nil || !existed {
		t.Fatalf("Delete of stored tokens: existed %t, err %v; want true, nil", existed, err)
	}
	for _, h := range []ports.TokenStore{s, c.Reopen(t, s)} {
		if _, ok, err := h.Load(context.Background(), "personal"); err != nil || ok {
			t.Fatalf("Load after Delete: ok %t, err %v; want no tokens", ok, err)
		}
		assertLoadTokens(t, h, "other", keep, "of another account after Delete")
	}
	for i := range 2 {
		existed, err = s.Delete(context.Background(), "personal")
		if err != nil || existed {
			t.Fatalf("Delete #%d of deleted tokens: existed %t, err %v; want false, nil", i+2, existed, err)
		}
	}
	if existed, err := s.Delete(context.Background(), "never-stored"); err != nil || existed {
		t.Fatalf("Delete of tokens never stored: existed %t, err %v; want false, nil", existed, err)
	}
	// Tokens saved after a Delete are there.
	again := SampleTokens("again")
	mustSaveTokens(t, s, "personal", again)
	assertLoadTokens(t, c.Reopen(t, s), "personal", again, "after Delete and Save")
}

func (c TokenStore) testIsolation(t *testing.T) {
	s := c.New(t)
	a, b := SampleTokens("a"), SampleTokens("b")
	mustSaveTokens(t, s, "team", a)
	mustSaveTokens(t, s, "team-2", b)
	for _, h := range []ports.TokenStore{s, c.Reopen(t, s)} {
		assertLoadTokens(t, h, "team", a, "of the first account")
		assertLoadTokens(t, h, "team-2", b, "of the second account")
		if _, ok, err := h.Load(context.Background(), "team-3"); err != nil || ok {
			t.Fatalf("Load of an account never stored: ok %t, err %v; want no tokens", ok, err)
		}
	}
}

func (c TokenStore) testSaveWithoutAccessToken(t *testing.T) {
	s := c.New(t)
	bad := SampleTokens("bad")
	bad.AccessToken = domain.Secret{}
	if err := s.Save(context.Background(), "personal", bad); err == nil {
		t.Fatal("Save of tokens without an access token succeeded; want an error")
	}
	if _, ok, err := c.Reopen(t, s).Load(context.Background(), "personal"); err != nil || ok {
		t.Fatalf("Load after a refused Save: ok %t, err %v; want no tokens", ok, err)
	}
}

func (c TokenStore) testInvalidName(t *testing.T) {
	s := c.New(t)
	for _, name := range []domain.AccountName{"", "../escape", "a/b", ".."} {
		if err := s.Save(context.Background(), name, SampleTokens("x")); !errors.Is(err, domain.CodeInvalidArgument) {
			t.Errorf("Save(%q): error %v, want INVALID_ARGUMENT", name, err)
		}
		if _, _, err := s.Load(context.Background(), name); !errors.Is(err, domain.CodeInvalidArgument) {
			t.Errorf("Load(%q): error %v, want INVALID_ARGUMENT", name, err)
		}
		if _, err := s.Delete(context.Background(), name); !errors.Is(err, domain.CodeInvalidArgument) {
			t.Errorf("Delete(%q): error %v, want INVALID_ARGUMENT", name, err)
		}
		if unlock, err := s.LockRefresh(context.Background(), name); !errors.Is(err, domain.CodeInvalidArgument) {
			if unlock != nil {
				unlock()
			}
			t.Errorf("LockRefresh(%q): error %v, want INVALID_ARGUMENT", name, err)
		}
	}
}

func (c TokenStore) testCorrupt(t *testing.T) {
	s := c.New(t)
	mustSaveTokens(t, s, "broken", SampleTokens("broken"))
	healthy := SampleTokens("healthy")
	mustSaveTokens(t, s, "healthy", healthy)
	c.Corrupt(t, s, "broken")
	for _, h := range []ports.TokenStore{s, c.Reopen(t, s)} {
		_, ok, err := h.Load(context.Background(), "broken")
		if !errors.Is(err, domain.CodeOAuthTokenError) {
			t.Fatalf("Load of corrupt tokens: ok %t, err %v; want OAUTH_TOKEN_ERROR", ok, err)
		}
		var de *domain.Error
		if !errors.As(err, &de) || !strings.Contains(de.Hint, "mp account login broken") {
			t.Fatalf("Load of corrupt tokens: hint %q, want the fix `mp account login broken`", hintOf(err))
		}
		assertLoadTokens(t, h, "healthy", healthy, "next to corrupt tokens")
	}
	want := SampleTokens("fixed")
	mustSaveTokens(t, s, "broken", want)
	assertLoadTokens(t, c.Reopen(t, s), "broken", want, "after a Save over corrupt tokens")

	c.Corrupt(t, s, "broken")
	existed, err := s.Delete(context.Background(), "broken")
	if err != nil || !existed {
		t.Fatalf("Delete of corrupt tokens: existed %t, err %v; want true, nil", existed, err)
	}
	if _, ok, err := c.Reopen(t, s).Load(context.Background(), "broken"); err != nil || ok {
		t.Fatalf("Load after deleting corrupt tokens: ok %t, err %v; want no tokens", ok, err)
	}
}

// lockWait is how long a locker that must not get the lock tries.
const lockWait = 150 * time.Millisecond

func (c TokenStore) testLockExcludes(t *testing.T) {
	s := c.New(t)
	unlock := mustLock(t, s, "personal")

	// A second locker times out while the first holds the lock.
	assertLockBusy(t, s, "personal")

	// A waiting locker gets the lock once the first releases it, not
	// before.
	var (
		mu       sync.Mutex
		released bool
	)
	got := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		u, err := s.LockRefresh(ctx, "personal")
		if err == nil {
			mu.Lock()
			early := !released
			mu.Unlock()
			u()
			if early {
				err = errors.New("the second locker got the lock while the first still held it")
			}
		}
		got <- err
	}()
	select {
	case err := <-got:
		t.Fatalf("the waiting locker returned before the unlock: %v", err)
	case <-time.After(lockWait):
	}
	mu.Lock()
	released = true
	mu.Unlock()
	unlock()
	if err := <-got; err != nil {
		t.Fatalf("the waiting locker: %v", err)
	}
	// Free again.
	mustLock(t, s, "personal")()
}

func (c TokenStore) testLockAcrossHandles(t *testing.T) {
	s := c.New(t)
	r := c.Reopen(t, s)
	unlock := mustLock(t, s, "personal")
	assertLockBusy(t, r, "personal")
	unlock()
	mustLock(t, r, "personal")()
}

func (c TokenStore) testLockDeadline(t *testing.T) {
	s := c.New(t)
	unlock := mustLock(t, s, "personal")
	defer unlock()
	ctx, cancel := context.WithTimeout(context.Background(), lockWait)
	defer cancel()
	u, err := s.LockRefresh(ctx, "personal")
	if err == nil {
		u()
		t.Fatal("LockRefresh of a held lock succeeded before the deadline")
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("LockRefresh past its deadline: %v; want an error matching context.DeadlineExceeded", err)
	}
	if ctx.Err() == nil {
		t.Fatal("LockRefresh gave up before its context's deadline")
	}
}

func (c TokenStore) testLockPerAccount(t *testing.T) {
	s := c.New(t)
	unlock := mustLock(t, s, "one")
	defer unlock()
	mustLock(t, s, "two")()
	mustLock(t, c.Reopen(t, s), "two")()
	// The lock does not stop Load and Save of the locked account.
	want := SampleTokens("locked")
	mustSaveTokens(t, s, "one", want)
	assertLoadTokens(t, c.Reopen(t, s), "one", want, "while its refresh lock is held")
}

func (c TokenStore) testUnlockTwice(t *testing.T) {
	s := c.New(t)
	first := mustLock(t, s, "personal")
	first()
	second := mustLock(t, s, "personal")
	first() // must not release the second holder's lock
	assertLockBusy(t, c.Reopen(t, s), "personal")
	second()
	mustLock(t, s, "personal")()
}

func (c TokenStore) testCancelledContext(t *testing.T) {
	s := c.New(t)
	want := SampleTokens("ctx")
	mustSaveTokens(t, s, "personal", want)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := s.Load(ctx, "personal"); !errors.Is(err, context.Canceled) {
		t.Errorf("Load with a cancelled context: %v; want context.Canceled", err)
	}
	if err := s.Save(ctx, "personal", SampleTokens("other")); !errors.Is(err, context.Canceled) {
		t.Errorf("Save with a cancelled context: %v; want context.Canceled", err)
	}
	if _, err := s.Delete(ctx, "personal"); !errors.Is(err, context.Canceled) {
		t.Errorf("Delete with a cancelled context: %v; want context.Canceled", err)
	}
	if u, err := s.LockRefresh(ctx, "personal"); !errors.Is(err, context.Canceled) {
		if u != nil {
			u()
		}
		t.Errorf("LockRefresh with a cancelled context: %v; want context.Canceled", err)
	}
	assertLoadTokens(t, c.Reopen(t, s), "personal", want, "after calls with a cancelled context")
	mustLock(t, s, "personal")()
}

func mustSaveTokens(t *testing.T, s ports.TokenStore, account domain.AccountName, tokens domain.Tokens) {
	t.Helper()
	if err := s.Save(context.Background(), account, tokens); err != nil {
		t.Fatalf("Save(%s): %v", account, err)
	}
}

func assertLoadTokens(t *testing.T, s ports.TokenStore, account domain.AccountName, want domain.Tokens, when string) domain.Tokens {
	t.Helper()
	got, ok, err := s.Load(context.Background(), account)
	if err != nil {
		t.Fatalf("Load(%s) %s: %v", account, when, err)
	}
	if !ok {
		t.Fatalf("Load(%s) %s: no tokens, want some", account, when)
	}
	if !SameTokens(got, want) {
		t.Fatalf("Load(%s) %s:\n got  %s\n want %s", account, when, DescribeTokens(got), DescribeTokens(want))
	}
	return got
}

// SameTokens reports whether two token sets are equal: the secrets by
// value, the expiry as the same instant.
func SameTokens(a, b domain.Tokens) bool {
	return a.AccessToken.Equal(b.AccessToken) && a.RefreshToken.Equal(b.RefreshToken) &&
		a.ExpiresAt.Equal(b.ExpiresAt) && a.TokenType == b.TokenType && a.Scope == b.Scope && a.ClientID == b.ClientID
}

// DescribeTokens renders a token set for a test failure without its
// secrets: whether each is set and a short fingerprint of its value.
func DescribeTokens(t domain.Tokens) string {
	return fmt.Sprintf("access=%s refresh=%s expires_at=%s token_type=%q scope=%q client_id=%q",
		fingerprint(t.AccessToken), fingerprint(t.RefreshToken), t.ExpiresAt.UTC().Format(time.RFC3339Nano), t.TokenType, t.Scope, t.ClientID)
}

// fingerprint tells secrets apart without printing them.
func fingerprint(s domain.Secret) string {
	if s.IsZero() {
		return "(none)"
	}
	var h uint32 = 2166136261
	for _, b := range []byte(s.Reveal()) {
		h = (h ^ uint32(b)) * 16777619
	}
	return fmt.Sprintf("set#%08x", h)
}

func mustLock(t *testing.T, s ports.TokenStore, account domain.AccountName) func() {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	unlock, err := s.LockRefresh(ctx, account)
	if err != nil {
		t.Fatalf("LockRefresh(%s): %v", account, err)
	}
	return unlock
}

// assertLockBusy checks that the account's lock cannot be taken within
// lockWait.
func assertLockBusy(t *testing.T, s ports.TokenStore, account domain.AccountName) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), lockWait)
	defer cancel()
	unlock, err := s.LockRefresh(ctx, account)
	if err == nil {
		unlock()
		t.Fatalf("LockRefresh(%s) succeeded while another holder had the lock", account)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("LockRefresh(%s) of a held lock: %v; want an error matching context.DeadlineExceeded", account, err)
	}
}

// hintOf returns the hint of the first *domain.Error in err's chain.
func hintOf(err error) string {
	var de *domain.Error
	if errors.As(err, &de) {
		return de.Hint
	}
	return ""
}
