package porttest

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
)

// BridgeStore is the contract suite of ports.BridgeStore.
type BridgeStore struct {
	// New returns an empty store and its discovery candidates, in order
	// (at least two); nothing exists at any of them, and each can be
	// written.
	New func(t *testing.T) (ports.BridgeStore, []string)
	// Reopen returns a second handle on the state behind s, as a new
	// process would see it (its locks included). A store without durable
	// state may return s.
	Reopen func(t *testing.T, s ports.BridgeStore) ports.BridgeStore
	// Corrupt, when set, stores bytes at path that are not a bridge. The
	// suite then checks that Load and Discover fail with CONFIG_ERROR naming
	// the path, and that Remove removes it.
	Corrupt func(t *testing.T, s ports.BridgeStore, path string)
}

// Run runs every subtest of the contract.
func (c BridgeStore) Run(t *testing.T) {
	t.Helper()
	if c.New == nil || c.Reopen == nil {
		t.Fatal("porttest.BridgeStore: New and Reopen are required")
	}
	t.Run("NothingToDiscover", c.testNothing)
	t.Run("RoundTripAllTypes", c.testRoundTrip)
	t.Run("FirstCandidateWins", c.testFirstWins)
	t.Run("LoadMissingIsNotExist", c.testLoadMissing)
	t.Run("WriteRefusesInvalid", c.testWriteInvalid)
	t.Run("WriteTokensKeepsTheRest", c.testWriteTokens)
	t.Run("WriteTokensNeedsBrowserAccount", c.testWriteTokensType)
	t.Run("RemoveSaysWhetherItRemoved", c.testRemove)
	if c.Corrupt != nil {
		t.Run("CorruptIsAnErrorNamingThePath", c.testCorrupt)
	}
	t.Run("LockExcludesUntilUnlock", c.testLockExcludes)
	t.Run("LockExcludesAcrossHandles", c.testLockAcross)
	t.Run("LockIsPerPath", c.testLockPerPath)
	t.Run("CancelledContext", c.testCancelled)
}

// SampleBridges returns one valid bridge per account type, with secrets
// unique to seed.
func SampleBridges(seed string) []domain.Bridge {
	tokens := SampleTokens(seed)
	return []domain.Bridge{
		{
			Account: domain.Account{Name: "team", Type: domain.TypeServiceAccount, Region: domain.RegionUS, DefaultProject: "3018488", Username: "team.sa", Secret: domain.NewSecret("sa-" + seed + "-Vb7Rt")},
			Project: "3713224", Workspace: 3448414,
			Headers: []domain.Header{{Name: "X-Team", Value: "blue"}},
		},
		{
			Account: domain.Account{Name: "ci", Type: domain.TypeOAuthToken, Region: domain.RegionEU, Token: domain.NewSecret("tok-" + seed + "-Qe4Ws")},
		},
		{
			Account: domain.Account{Name: "personal", Type: domain.TypeOAuthBrowser, Region: domain.RegionIN, DefaultProject: "42"},
			Tokens:  &tokens,
			Project: "42",
		},
	}
}

// sameBridge compares everything but Path.
func sameBridge(a, b domain.Bridge) bool {
	if !a.Account.Equal(b.Account) || a.Project != b.Project || a.Workspace != b.Workspace ||
		fmt.Sprint(a.Headers) != fmt.Sprint(b.Headers) || (a.Tokens == nil) != (b.Tokens == nil) {
		return false
	}
	return a.Tokens == nil || a.Tokens.Equal(*b.Tokens)
}

func (c BridgeStore) testNothing(t *testing.T) {
	s, _ := c.New(t)
	if _, ok, err := s.Discover(context.Background()); ok || err != nil {
		t.Fatalf("Discover on an empty store: ok %t, err %v", ok, err)
	}
	if p, ok, err := s.Locate(context.Background()); ok || err != nil {
		t.Fatalf("Locate on an empty store: %q %t %v", p, ok, err)
	}
}

func (c BridgeStore) testRoundTrip(t *testing.T) {
	ctx := context.Background()
	for _, want := range SampleBridges("rt") {
		t.Run(string(want.Account.Type), func(t *testing.T) {
			s, paths := c.New(t)
			path := paths[len(paths)-1]
			if err := s.Write(ctx, path, want); err != nil {
				t.Fatalf("Write: %v", err)
			}
			got, err := c.Reopen(t, s).Load(ctx, path)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if got.Path != path || !sameBridge(got, want) {
				t.Fatalf("Load = %+v (path %q), want %+v at %q", got, got.Path, want, path)
			}
			d, ok, err := c.Reopen(t, s).Discover(ctx)
			if err != nil || !ok || d.Path != path || !sameBridge(d, want) {
				t.Fatalf("Discover = %+v, %t, %v", d, ok, err)
			}
			if p, ok, err := s.Locate(ctx); err != nil || !ok || p != path {
				t.Fatalf("Locate = %q, %t, %v; want %q", p, ok, err, path)
			}
		})
	}
}

func (c BridgeStore) testFirstWins(t *testing.T) {
	ctx := context.Background()
	s, paths := c.New(t)
	bs := SampleBridges("first")
	if err := s.Write(ctx, paths[1], bs[0]); err != nil {
		t.Fatal(err)
	}
	if err := s.Write(ctx, paths[0], bs[1]); err != nil {
		t.Fatal(err)
	}
	got, ok, err := s.Discover(ctx)
	if err != nil || !ok || got.Path != paths[0] || got.Account.Name != bs[1].Account.Name {
		t.Fatalf("Discover = %s at %q (%t, %v); want %s at %q", got.Account.Name, got.Path, ok, err, bs[1].Account.Name, paths[0])
	}
}

func (c BridgeStore) testLoadMissing(t *testing.T) {
	s, paths := c.New(t)
	_, err := s.Load(context.Background(), paths[0])
	if !errors.Is(err, fs.ErrNotExist) || domain.CodeOf(err) != domain.CodeConfigError || !strings.Contains(err.Error(), paths[0]) {
		t.Fatalf("Load of a missing bridge: %v; want CONFIG_ERROR naming the path and matching fs.ErrNotExist", err)
	}
}

func (c BridgeStore) testWriteInvalid(t *testing.T) {
	ctx := context.Background()
	s, paths := c.New(t)
	b := SampleBridges("inv")[2]
	b.Tokens = nil
	if err := s.Write(ctx, paths[0], b); domain.CodeOf(err) != domain.CodeConfigError {
		t.Fatalf("Write of a browser bridge without tokens: %v; want CONFIG_ERROR", err)
	}
	if _, err := s.Load(ctx, paths[0]); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("a refused Write left something behind: %v", err)
	}
}

func (c BridgeStore) testWriteTokens(t *testing.T) {
	ctx := context.Background()
	s, paths := c.New(t)
	b := SampleBridges("wt")[2]
	b.Headers = []domain.Header{{Name: "X-Keep", Value: "me"}}
	b.Workspace = 9
	if err := s.Write(ctx, paths[0], b); err != nil {
		t.Fatal(err)
	}
	fresh := SampleTokens("wt-2")
	fresh.ExpiresAt = fresh.ExpiresAt.Add(time.Hour)
	if err := s.WriteTokens(ctx, paths[0], fresh); err != nil {
		t.Fatalf("WriteTokens: %v", err)
	}
	got, err := c.Reopen(t, s).Load(ctx, paths[0])
	if err != nil {
		t.Fatal(err)
	}
	want := b
	want.Tokens = &fresh
	if !sameBridge(got, want) {
		t.Fatalf("after WriteTokens: %+v, want %+v", got, want)
	}
}

func (c BridgeStore) testWriteTokensType(t *testing.T) {
	ctx := context.Background()
	s, paths := c.New(t)
	b := SampleBridges("wtt")[0]
	if err := s.Write(ctx, paths[0], b); err != nil {
		t.Fatal(err)
	}
	if err := s.WriteTokens(ctx, paths[0], SampleTokens("x")); err == nil {
		t.Fatal("WriteTokens into a service-account bridge succeeded")
	}
	got, err := s.Load(ctx, paths[0])
	if err != nil || !sameBridge(got, b) {
		t.Fatalf("a refused WriteTokens changed the bridge: %+v %v", got, err)
	}
	if err := s.WriteTokens(ctx, paths[1], SampleTokens("x")); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("WriteTokens to a missing bridge: %v; want fs.ErrNotExist", err)
	}
}

func (c BridgeStore) testRemove(t *testing.T) {
	ctx := context.Background()
	s, paths := c.New(t)
	if err := s.Write(ctx, paths[0], SampleBridges("rm")[1]); err != nil {
		t.Fatal(err)
	}
	if removed, err := s.Remove(ctx, paths[0]); err != nil || !removed {
		t.Fatalf("Remove = %t, %v; want true", removed, err)
	}
	if removed, err := s.Remove(ctx, paths[0]); err != nil || removed {
		t.Fatalf("second Remove = %t, %v; want false, nil", removed, err)
	}
	if _, ok, err := c.Reopen(t, s).Discover(ctx); ok || err != nil {
		t.Fatalf("Discover after Remove: %t %v", ok, err)
	}
}

func (c BridgeStore) testCorrupt(t *testing.T) {
	ctx := context.Background()
	s, paths := c.New(t)
	c.Corrupt(t, s, paths[0])
	for name, err := range map[string]error{
		"Load":     func() error { _, err := s.Load(ctx, paths[0]); return err }(),
		"Discover": func() error { _, _, err := s.Discover(ctx); return err }(),
	} {
		if domain.CodeOf(err) != domain.CodeConfigError || !strings.Contains(err.Error(), paths[0]) {
			t.Fatalf("%s of a corrupt bridge: %v; want CONFIG_ERROR naming %s", name, err, paths[0])
		}
	}
	if removed, err := s.Remove(ctx, paths[0]); err != nil || !removed {
		t.Fatalf("Remove of a corrupt bridge = %t, %v", removed, err)
	}
}

func (c BridgeStore) testLockExcludes(t *testing.T) {
	s, paths := c.New(t)
	c.lockExcludes(t, s, s, paths[0])
}

func (c BridgeStore) testLockAcross(t *testing.T) {
	s, paths := c.New(t)
	c.lockExcludes(t, s, c.Reopen(t, s), paths[0])
}

// lockExcludes takes the lock through a and checks that b cannot take it
// until a releases it.
func (c BridgeStore) lockExcludes(t *testing.T, a, b ports.BridgeStore, path string) {
	t.Helper()
	unlock, err := a.Lock(context.Background(), path)
	if err != nil {
		t.Fatalf("Lock: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if u, err := b.Lock(ctx, path); err == nil {
		u()
		t.Fatal("a second Lock succeeded while the first was held")
	}
	unlock()
	unlock() // twice is harmless
	u, err := b.Lock(context.Background(), path)
	if err != nil {
		t.Fatalf("Lock after unlock: %v", err)
	}
	u()
}

func (c BridgeStore) testLockPerPath(t *testing.T) {
	s, paths := c.New(t)
	u1, err := s.Lock(context.Background(), paths[0])
	if err != nil {
		t.Fatal(err)
	}
	defer u1()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	u2, err := s.Lock(ctx, paths[1])
	if err != nil {
		t.Fatalf("the lock of another path is held too: %v", err)
	}
	u2()
}

func (c BridgeStore) testCancelled(t *testing.T) {
	s, paths := c.New(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Lock(ctx, paths[0]); !errors.Is(err, context.Canceled) {
		t.Fatalf("Lock with a cancelled context: %v", err)
	}
	if err := s.Write(ctx, paths[0], SampleBridges("c")[0]); !errors.Is(err, context.Canceled) {
		t.Fatalf("Write with a cancelled context: %v", err)
	}
	if _, _, err := s.Discover(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Discover with a cancelled context: %v", err)
	}
}
