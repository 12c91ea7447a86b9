package porttest

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
)

// ClientCache is the contract suite of ports.ClientCache.
type ClientCache struct {
	// New returns an empty cache that no other test uses.
	New func(t *testing.T) ports.ClientCache
	// Reopen returns a second handle on the state behind c, as a new
	// process would see it. A cache without durable state may return c.
	Reopen func(t *testing.T, c ports.ClientCache) ports.ClientCache
}

// Run runs every subtest of the contract.
func (c ClientCache) Run(t *testing.T) {
	t.Helper()
	if c.New == nil || c.Reopen == nil {
		t.Fatal("porttest.ClientCache: New and Reopen are required")
	}
	t.Run("MissOnEmpty", c.testMiss)
	t.Run("RoundTrip", c.testRoundTrip)
	t.Run("Overwrite", c.testOverwrite)
	t.Run("RegionsAreIsolated", c.testRegions)
	t.Run("PutRefusesInvalidClients", c.testInvalid)
	t.Run("GetRefusesUnknownRegion", c.testUnknownRegion)
	t.Run("CancelledContext", c.testCancelledContext)
}

// SampleClient returns a registered client of region with a whole-second
// creation time (files keep created_at to the second).
func SampleClient(region domain.Region, port int) domain.OAuthClient {
	return domain.OAuthClient{
		ClientID:    "client-" + string(region) + "-" + strconv.Itoa(port),
		Region:      region,
		RedirectURI: "http://localhost:" + strconv.Itoa(port) + "/callback",
		Scope:       domain.OAuthScope,
		CreatedAt:   time.Date(2026, 3, 2, 8, 15, 0, 0, time.UTC),
	}
}

func (c ClientCache) testMiss(t *testing.T) {
	cc := c.New(t)
	for _, r := range domain.Regions() {
		if _, ok, err := cc.Get(context.Background(), r); err != nil || ok {
			t.Fatalf("Get(%s) on an empty cache: ok %t, err %v; want a miss", r, ok, err)
		}
	}
}

func (c ClientCache) testRoundTrip(t *testing.T) {
	cc := c.New(t)
	want := SampleClient(domain.RegionEU, 19284)
	mustPutClient(t, cc, want)
	assertGetClient(t, cc, want, "after Put")
	assertGetClient(t, c.Reopen(t, cc), want, "after Reopen")
}

func (c ClientCache) testOverwrite(t *testing.T) {
	cc := c.New(t)
	mustPutClient(t, cc, SampleClient(domain.RegionUS, 19284))
	want := SampleClient(domain.RegionUS, 19285)
	want.CreatedAt = want.CreatedAt.Add(48 * time.Hour)
	mustPutClient(t, cc, want)
	assertGetClient(t, cc, want, "after the second Put")
	assertGetClient(t, c.Reopen(t, cc), want, "after the second Put and Reopen")
}

func (c ClientCache) testRegions(t *testing.T) {
	cc := c.New(t)
	us := SampleClient(domain.RegionUS, 19284)
	in := SampleClient(domain.RegionIN, 19286)
	mustPutClient(t, cc, us)
	mustPutClient(t, cc, in)
	for _, h := range []ports.ClientCache{cc, c.Reopen(t, cc)} {
		assertGetClient(t, h, us, "for us")
		assertGetClient(t, h, in, "for in")
		if _, ok, err := h.Get(context.Background(), domain.RegionEU); err != nil || ok {
			t.Fatalf("Get(eu) with clients of us and in only: ok %t, err %v; want a miss", ok, err)
		}
	}
}

func (c ClientCache) testInvalid(t *testing.T) {
	cc := c.New(t)
	noID := SampleClient(domain.RegionUS, 19284)
	noID.ClientID = ""
	badRegion := SampleClient(domain.RegionUS, 19284)
	badRegion.Region = "mars"
	noRegion := SampleClient(domain.RegionUS, 19284)
	noRegion.Region = ""
	for name, client := range map[string]domain.OAuthClient{"no client id": noID, "unknown region": badRegion, "no region": noRegion} {
		if err := cc.Put(context.Background(), client); !errors.Is(err, domain.CodeInvalidArgument) {
			t.Errorf("Put of a client with %s: %v; want INVALID_ARGUMENT", name, err)
		}
	}
	for _, r := range domain.Regions() {
		if _, ok, err := c.Reopen(t, cc).Get(context.Background(), r); err != nil || ok {
			t.Fatalf("Get(%s) after refused Puts: ok %t, err %v; want a miss", r, ok, err)
		}
	}
}

func (c ClientCache) testUnknownRegion(t *testing.T) {
	cc := c.New(t)
	for _, r := range []domain.Region{"", "US", "mars", "../us"} {
		if _, _, err := cc.Get(context.Background(), r); !errors.Is(err, domain.CodeInvalidArgument) {
			t.Errorf("Get(%q): %v; want INVALID_ARGUMENT", r, err)
		}
	}
}

func (c ClientCache) testCancelledContext(t *testing.T) {
	cc := c.New(t)
	want := SampleClient(domain.RegionUS, 19284)
	mustPutClient(t, cc, want)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := cc.Get(ctx, domain.RegionUS); !errors.Is(err, context.Canceled) {
		t.Errorf("Get with a cancelled context: %v; want context.Canceled", err)
	}
	if err := cc.Put(ctx, SampleClient(domain.RegionUS, 19287)); !errors.Is(err, context.Canceled) {
		t.Errorf("Put with a cancelled context: %v; want context.Canceled", err)
	}
	assertGetClient(t, c.Reopen(t, cc), want, "after a Put with a cancelled context")
}

func mustPutClient(t *testing.T, cc ports.ClientCache, client domain.OAuthClient) {
	t.Helper()
	if err := cc.Put(context.Background(), client); err != nil {
		t.Fatalf("Put(%s): %v", client.Region, err)
	}
}

func assertGetClient(t *testing.T, cc ports.ClientCache, want domain.OAuthClient, when string) {
	t.Helper()
	got, ok, err := cc.Get(context.Background(), want.Region)
	if err != nil {
		t.Fatalf("Get(%s) %s: %v", want.Region, when, err)
	}
	if !ok {
		t.Fatalf("Get(%s) %s: a miss, want the client", want.Region, when)
	}
	same := got.ClientID == want.ClientID && got.Region == want.Region && got.RedirectURI == want.RedirectURI &&
		got.Scope == want.Scope && got.CreatedAt.Equal(want.CreatedAt)
	if !same {
		t.Fatalf("Get(%s) %s:\n got  %+v\n want %+v", want.Region, when, got, want)
	}
}
