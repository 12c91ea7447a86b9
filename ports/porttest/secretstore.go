package porttest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
)

// SecretStore is the contract suite of ports.SecretStore, in the style of
// go-cloud's drivertest: the fields besides New and Reopen declare what the
// backend can do, and the suite checks exactly that.
type SecretStore struct {
	// New returns an empty store that no other test uses.
	New func(t *testing.T) ports.SecretStore
	// Reopen returns a second handle on the state behind s, as a new
	// process would see it. A store without durable state may return s.
	Reopen func(t *testing.T, s ports.SecretStore) ports.SecretStore
	// Seed, when set, declares a read-only store: the suite stores values
	// through Seed (e.g. by writing what an external command prints) and
	// checks that Set and Delete fail with ports.ErrReadOnly.
	Seed func(t *testing.T, s ports.SecretStore, key ports.SecretKey, value []byte)
	// TextOnly declares a store that keeps one line of text: values are
	// trimmed of surrounding white space and cannot hold NUL bytes or line
	// breaks. The suite then stores only such values and skips the binary
	// subtest.
	TextOnly bool
	// MaxSize is the largest value the store keeps; the suite checks that a
	// value of MaxSize bytes round-trips and one of MaxSize+1 fails with
	// ports.ErrTooLarge, leaving the old value. Zero: no limit below
	// BigValue, whose round trip is checked instead.
	MaxSize int
	// Kinds declares the kinds the store keeps (nil: every kind). The
	// suite runs every subtest with those kinds and checks that keys of
	// the other kinds fail with ports.ErrUnsupportedKind.
	Kinds []ports.SecretKind
}

// kinds returns the kinds the store keeps.
func (c SecretStore) kinds() []ports.SecretKind {
	if len(c.Kinds) == 0 {
		return ports.SecretKinds()
	}
	return c.Kinds
}

// k returns the i-th kind the store keeps (cyclically).
func (c SecretStore) k(i int) ports.SecretKind {
	ks := c.kinds()
	return ks[i%len(ks)]
}

// others returns the kinds the store keeps besides kind.
func (c SecretStore) others(kind ports.SecretKind) []ports.SecretKind {
	var out []ports.SecretKind
	for _, k := range c.kinds() {
		if k != kind {
			out = append(out, k)
		}
	}
	return out
}

// BigValue is the size of the value checked when a store has no MaxSize.
const BigValue = 64 << 10

// concurrentSets is how many Sets the concurrency subtest runs at once.
const concurrentSets = 16

// Run runs every subtest of the contract.
func (c SecretStore) Run(t *testing.T) {
	t.Helper()
	if c.New == nil || c.Reopen == nil {
		t.Fatal("porttest.SecretStore: New and Reopen are required")
	}
	t.Run("MissingKey", c.testMissing)
	t.Run("RoundTripEveryKind", c.testRoundTrip)
	t.Run("AccountsAndKindsAreIsolated", c.testIsolation)
	t.Run("OddNames", c.testOddNames)
	t.Run("ValuesAreCopies", c.testCopies)
	t.Run("InvalidKey", c.testInvalidKey)
	t.Run("CancelledContext", c.testCancelled)
	t.Run("DurableAcrossReopen", c.testDurable)
	if len(c.Kinds) > 0 {
		t.Run("UnsupportedKinds", c.testUnsupported)
	}
	if !c.TextOnly {
		t.Run("BinarySafe", c.testBinary)
	}
	if c.Seed != nil {
		t.Run("ReadOnly", c.testReadOnly)
		return
	}
	t.Run("Overwrite", c.testOverwrite)
	t.Run("DeleteIsIdempotent", c.testDelete)
	t.Run("SizeLimit", c.testSize)
	t.Run("ConcurrentSets", c.testConcurrent)
}

func key(account string, kind ports.SecretKind) ports.SecretKey {
	return ports.SecretKey{Account: domain.AccountName(account), Kind: kind}
}

// put stores value under k through Seed or Set.
func (c SecretStore) put(t *testing.T, s ports.SecretStore, k ports.SecretKey, value []byte) {
	t.Helper()
	if c.Seed != nil {
		c.Seed(t, s, k, value)
		return
	}
	if err := s.Set(context.Background(), k, value); err != nil {
		t.Fatalf("Set(%s): %v", k, err)
	}
}

// want checks that k holds value.
func want(t *testing.T, s ports.SecretStore, k ports.SecretKey, value []byte) {
	t.Helper()
	got, err := s.Get(context.Background(), k)
	if err != nil {
		t.Fatalf("Get(%s): %v", k, err)
	}
	if !bytes.Equal(got, value) {
		t.Fatalf("Get(%s) = %d bytes %q…, want %d bytes %q…", k, len(got), head(got), len(value), head(value))
	}
}

// wantMissing checks that k holds nothing.
func wantMissing(t *testing.T, s ports.SecretStore, k ports.SecretKey) {
	t.Helper()
	got, err := s.Get(context.Background(), k)
	if !errors.Is(err, ports.ErrNotFound) {
		t.Fatalf("Get(%s) = %d bytes, %v; want an error matching ports.ErrNotFound", k, len(got), err)
	}
}

func head(b []byte) []byte {
	if len(b) > 16 {
		return b[:16]
	}
	return b
}

func (c SecretStore) testMissing(t *testing.T) {
	s := c.New(t)
	for _, kind := range c.kinds() {
		wantMissing(t, s, key("nobody", kind))
	}
}

func (c SecretStore) testRoundTrip(t *testing.T) {
	s := c.New(t)
	values := map[ports.SecretKind][]byte{
		ports.SecretServiceAccount: []byte("sa-secret-Zq8"),
		ports.SecretStaticToken:    []byte("bearer.token.value"),
		ports.SecretTokenSet:       []byte(`{"access_token":"at","token_type":"Bearer","scope":"read"}`),
	}
	for _, kind := range c.kinds() {
		c.put(t, s, key("acme", kind), values[kind])
	}
	for _, kind := range c.kinds() {
		want(t, s, key("acme", kind), values[kind])
	}
}

func (c SecretStore) testIsolation(t *testing.T) {
	s := c.New(t)
	k0 := c.k(0)
	c.put(t, s, key("alpha", k0), []byte("alpha-secret"))
	c.put(t, s, key("beta", k0), []byte("beta-token"))
	for _, other := range c.others(k0) {
		wantMissing(t, s, key("alpha", other))
		wantMissing(t, s, key("beta", other))
	}
	wantMissing(t, s, key("alph", k0))
	wantMissing(t, s, key("alphaa", k0))
	if c.Seed == nil {
		if others := c.others(k0); len(others) > 0 {
			c.put(t, s, key("alpha", others[0]), []byte("alpha-token"))
			defer want(t, s, key("alpha", others[0]), []byte("alpha-token"))
		}
		if err := s.Delete(context.Background(), key("alpha", k0)); err != nil {
			t.Fatalf("Delete: %v", err)
		}
		wantMissing(t, s, key("alpha", k0))
	}
	want(t, s, key("beta", k0), []byte("beta-token"))
}

func (c SecretStore) testOddNames(t *testing.T) {
	s := c.New(t)
	k0 := c.k(0)
	names := []string{"a", "-", "_", "9", "a-b", "a_b", "ab", "--x__", strings.Repeat("z", 64), "x-secret", "tokens"}
	for i, n := range names {
		c.put(t, s, key(n, k0), fmt.Appendf(nil, "value-%d", i))
	}
	for i, n := range names {
		want(t, s, key(n, k0), fmt.Appendf(nil, "value-%d", i))
		for _, other := range c.others(k0) {
			wantMissing(t, s, key(n, other))
		}
	}
}

func (c SecretStore) testCopies(t *testing.T) {
	s := c.New(t)
	k := key("copy", c.k(1))
	in := []byte("original")
	c.put(t, s, k, in)
	copy(in, "XXXXXXXX")
	want(t, s, k, []byte("original"))
	got, err := s.Get(context.Background(), k)
	if err != nil {
		t.Fatal(err)
	}
	copy(got, "YYYYYYYY")
	want(t, s, k, []byte("original"))
}

func (c SecretStore) testInvalidKey(t *testing.T) {
	s := c.New(t)
	ctx := context.Background()
	for _, k := range []ports.SecretKey{
		{Account: "", Kind: c.k(0)},
		{Account: "../evil", Kind: c.k(0)},
		{Account: "a/b", Kind: c.k(1)},
		{Account: "ok", Kind: "bogus"},
		{Account: "ok", Kind: ""},
	} {
		if _, err := s.Get(ctx, k); domain.CodeOf(err) != domain.CodeInvalidArgument {
			t.Errorf("Get(%q) = %v; want INVALID_ARGUMENT", k, err)
		}
		if c.Seed == nil {
			if err := s.Set(ctx, k, []byte("v")); domain.CodeOf(err) != domain.CodeInvalidArgument {
				t.Errorf("Set(%q) = %v; want INVALID_ARGUMENT", k, err)
			}
			if err := s.Delete(ctx, k); domain.CodeOf(err) != domain.CodeInvalidArgument {
				t.Errorf("Delete(%q) = %v; want INVALID_ARGUMENT", k, err)
			}
		}
	}
}

func (c SecretStore) testUnsupported(t *testing.T) {
	s := c.New(t)
	ctx := context.Background()
	for _, kind := range ports.SecretKinds() {
		if slices.Contains(c.kinds(), kind) {
			continue
		}
		k := key("acme", kind)
		check := func(op string, err error) {
			t.Helper()
			if !errors.Is(err, ports.ErrUnsupportedKind) || domain.CodeOf(err) == "" {
				t.Errorf("%s(%s) = %v; want a *domain.Error matching ports.ErrUnsupportedKind", op, k, err)
			}
		}
		_, err := s.Get(ctx, k)
		check("Get", err)
		if c.Seed == nil {
			check("Set", s.Set(ctx, k, []byte("v")))
			check("Delete", s.Delete(ctx, k))
		}
	}
}

func (c SecretStore) testCancelled(t *testing.T) {
	s := c.New(t)
	k := key("cancel", c.k(0))
	c.put(t, s, k, []byte("kept"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Get(ctx, k); !errors.Is(err, context.Canceled) {
		t.Errorf("Get with a cancelled context = %v; want context.Canceled", err)
	}
	if c.Seed == nil {
		if err := s.Set(ctx, k, []byte("changed")); !errors.Is(err, context.Canceled) {
			t.Errorf("Set with a cancelled context = %v; want context.Canceled", err)
		}
		if err := s.Delete(ctx, k); !errors.Is(err, context.Canceled) {
			t.Errorf("Delete with a cancelled context = %v; want context.Canceled", err)
		}
	}
	want(t, s, k, []byte("kept"))
}

func (c SecretStore) testDurable(t *testing.T) {
	s := c.New(t)
	last := c.k(len(c.kinds()) - 1)
	k := key("durable", last)
	c.put(t, s, k, []byte(`{"access_token":"x"}`))
	r := c.Reopen(t, s)
	want(t, r, k, []byte(`{"access_token":"x"}`))
	for _, other := range c.others(last) {
		wantMissing(t, r, key("durable", other))
	}
}

func (c SecretStore) testBinary(t *testing.T) {
	s := c.New(t)
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	cases := map[string][]byte{
		"every-byte": all,
		"nul":        {0},
		"invalid-u8": {0xff, 0xfe, 0xc0, 0x80},
		"spaces":     []byte("  padded value \n\n"),
		"crlf":       []byte("line1\r\nline2\r\n"),
		"empty":      {},
	}
	for name, v := range cases {
		c.put(t, s, key(name, c.k(1)), v)
	}
	for name, v := range cases {
		want(t, s, key(name, c.k(1)), v)
	}
}

func (c SecretStore) testReadOnly(t *testing.T) {
	s := c.New(t)
	ctx := context.Background()
	k := key("ro", c.k(0))
	c.put(t, s, k, []byte("seeded"))
	if err := s.Set(ctx, k, []byte("changed")); !errors.Is(err, ports.ErrReadOnly) {
		t.Errorf("Set on a read-only store = %v; want ports.ErrReadOnly", err)
	}
	if err := s.Delete(ctx, k); !errors.Is(err, ports.ErrReadOnly) {
		t.Errorf("Delete on a read-only store = %v; want ports.ErrReadOnly", err)
	}
	want(t, s, k, []byte("seeded"))
}

func (c SecretStore) testOverwrite(t *testing.T) {
	s := c.New(t)
	k := key("over", c.k(0))
	c.put(t, s, k, []byte("a much longer first value"))
	c.put(t, s, k, []byte("short"))
	want(t, s, k, []byte("short"))
	r := c.Reopen(t, s)
	want(t, r, k, []byte("short"))
}

func (c SecretStore) testDelete(t *testing.T) {
	s := c.New(t)
	ctx := context.Background()
	k := key("gone", c.k(1))
	if err := s.Delete(ctx, k); err != nil {
		t.Fatalf("Delete of a missing key: %v", err)
	}
	c.put(t, s, k, []byte("v"))
	for i := range 2 {
		if err := s.Delete(ctx, k); err != nil {
			t.Fatalf("Delete #%d: %v", i+1, err)
		}
	}
	wantMissing(t, s, k)
	wantMissing(t, c.Reopen(t, s), k)
}

func (c SecretStore) testSize(t *testing.T) {
	s := c.New(t)
	ctx := context.Background()
	k := key("big", c.k(2))
	if c.MaxSize == 0 {
		v := bytes.Repeat([]byte("0123456789abcdef"), BigValue/16)
		c.put(t, s, k, v)
		want(t, s, k, v)
		return
	}
	v := bytes.Repeat([]byte("x"), c.MaxSize)
	c.put(t, s, k, v)
	want(t, s, k, v)
	err := s.Set(ctx, k, bytes.Repeat([]byte("y"), c.MaxSize+1))
	if !errors.Is(err, ports.ErrTooLarge) {
		t.Fatalf("Set of MaxSize+1 bytes = %v; want ports.ErrTooLarge", err)
	}
	if domain.CodeOf(err) == "" || !strings.Contains(err.Error(), fmt.Sprint(c.MaxSize)) {
		t.Errorf("the too-large error %q should be a *domain.Error that states the limit (%d bytes)", err, c.MaxSize)
	}
	want(t, s, k, v)
}

func (c SecretStore) testConcurrent(t *testing.T) {
	s := c.New(t)
	ctx := context.Background()
	shared := key("shared", c.k(0))
	var wg sync.WaitGroup
	errs := make(chan error, 2*concurrentSets)
	for i := range concurrentSets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			own := key(fmt.Sprintf("acct-%d", i), c.k(1))
			if err := s.Set(ctx, own, fmt.Appendf(nil, "own-%d", i)); err != nil {
				errs <- err
			}
			if err := s.Set(ctx, shared, fmt.Appendf(nil, "shared-%02d", i)); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent Set: %v", err)
	}
	for i := range concurrentSets {
		want(t, s, key(fmt.Sprintf("acct-%d", i), c.k(1)), fmt.Appendf(nil, "own-%d", i))
	}
	got, err := s.Get(ctx, shared)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len("shared-00") || !bytes.HasPrefix(got, []byte("shared-")) {
		t.Errorf("the shared key holds %q: not one of the values written", got)
	}
}
