package porttest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"

	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
)

// ConfigStore is the contract suite of ports.ConfigStore.
type ConfigStore struct {
	// New returns an empty store that no other test uses. Clean-up is the
	// caller's business (t.TempDir, t.Cleanup).
	New func(t *testing.T) ports.ConfigStore
	// Reopen returns a second handle on the state behind s, as a new
	// process would see it (for a file store: a new store over the same
	// path). A store without durable state may return s itself.
	Reopen func(t *testing.T, s ports.ConfigStore) ports.ConfigStore
}

// concurrentWriters is how many Updates the concurrency subtest runs at once.
const concurrentWriters = 32

// Run runs every subtest of the contract.
func (c ConfigStore) Run(t *testing.T) {
	t.Helper()
	if c.New == nil || c.Reopen == nil {
		t.Fatal("porttest.ConfigStore: New and Reopen are required")
	}
	t.Run("EmptyLoadIsEmptyConfig", c.testEmptyLoad)
	t.Run("RoundTripFullConfig", c.testRoundTrip)
	t.Run("UpdateRollsBackWhenFnFails", c.testRollback)
	t.Run("UpdateRollsBackPartialChangeOnValidationError", c.testValidationErrorRollsBack)
	t.Run("LoadReturnsIndependentCopies", c.testIndependentCopies)
	t.Run("ConcurrentUpdatesLoseNothing", c.testConcurrentUpdates)
	t.Run("DurableAcrossReopen", c.testDurable)
	t.Run("HandlesSeeEachOthersUpdates", c.testHandlesShareState)
	t.Run("CancelledContext", c.testCancelledContext)
}

func (c ConfigStore) testEmptyLoad(t *testing.T) {
	s := c.New(t)
	cfg, err := s.Load(context.Background())
	if err != nil {
		t.Fatalf("Load of a new store: %v", err)
	}
	if !cfg.IsEmpty() {
		t.Fatalf("Load of a new store = %+v, want an empty config", cfg.Data())
	}
}

func (c ConfigStore) testRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := c.New(t)
	if err := s.Update(ctx, func(cfg *domain.Config) error { return BuildFullConfig(cfg) }); err != nil {
		t.Fatalf("Update(full config): %v", err)
	}
	want := FullConfig(t)
	assertLoad(t, s, want, "after Update")
	assertLoad(t, c.Reopen(t, s), want, "after Reopen")

	// A no-op Update keeps everything as it is.
	if err := s.Update(ctx, func(*domain.Config) error { return nil }); err != nil {
		t.Fatalf("no-op Update: %v", err)
	}
	assertLoad(t, s, want, "after a no-op Update")
}

var errFnFailed = errors.New("porttest: fn failed on purpose")

func (c ConfigStore) testRollback(t *testing.T) {
	ctx := context.Background()
	s := c.New(t)
	mustUpdate(t, s, BuildFullConfig)
	want := FullConfig(t)

	called := false
	err := s.Update(ctx, func(cfg *domain.Config) error {
		called = true
		if _, err := cfg.RemoveAccount("team", true); err != nil {
			return fmt.Errorf("setup: %w", err)
		}
		if _, err := cfg.AddAccount(browserAccount("added-then-dropped")); err != nil {
			return fmt.Errorf("setup: %w", err)
		}
		if err := cfg.SetCustomHeader(nil); err != nil {
			return fmt.Errorf("setup: %w", err)
		}
		return errFnFailed
	})
	if !called {
		t.Fatal("Update did not call fn")
	}
	if !errors.Is(err, errFnFailed) {
		t.Fatalf("Update error = %v, want the error fn returned", err)
	}
	assertLoad(t, s, want, "after a failed Update")
	assertLoad(t, c.Reopen(t, s), want, "after a failed Update and Reopen")
}

// testValidationErrorRollsBack checks that a change fn made before a domain
// rule refused a later one is discarded, and that the rule's error comes
// back unchanged. (The domain API cannot build a Config that fails
// Validate, so the validation step of Update itself is covered by each
// implementation's own tests.)
func (c ConfigStore) testValidationErrorRollsBack(t *testing.T) {
	ctx := context.Background()
	s := c.New(t)
	mustUpdate(t, s, BuildFullConfig)
	want := FullConfig(t)

	err := s.Update(ctx, func(cfg *domain.Config) error {
		if _, err := cfg.AddAccount(browserAccount("valid-first")); err != nil {
			return fmt.Errorf("setup: %w", err)
		}
		invalid := domain.Account{Name: "no-secret", Type: domain.TypeServiceAccount, Region: domain.RegionUS, Username: "u"}
		_, err := cfg.AddAccount(invalid)
		return err
	})
	if !errors.Is(err, domain.CodeInvalidArgument) {
		t.Fatalf("Update error = %v, want INVALID_ARGUMENT from the domain", err)
	}
	assertLoad(t, s, want, "after an Update refused by validation")
	assertLoad(t, c.Reopen(t, s), want, "after an Update refused by validation and Reopen")
}

func (c ConfigStore) testIndependentCopies(t *testing.T) {
	ctx := context.Background()
	s := c.New(t)
	mustUpdate(t, s, BuildFullConfig)
	want := FullConfig(t)

	first, err := s.Load(ctx)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if _, err := first.AddAccount(browserAccount("leak")); err != nil {
		t.Fatalf("AddAccount on a loaded copy: %v", err)
	}
	if err := first.SetCustomHeader(&domain.Header{Name: "X-Leak", Value: "1"}); err != nil {
		t.Fatalf("SetCustomHeader on a loaded copy: %v", err)
	}
	if err := first.UseAccount("personal"); err != nil {
		t.Fatalf("UseAccount on a loaded copy: %v", err)
	}
	assertLoad(t, s, want, "after mutating a loaded copy")

	// The value handed to fn must not stay tied to the store either.
	var kept *domain.Config
	mustUpdate(t, s, func(cfg *domain.Config) error {
		kept = cfg
		return nil
	})
	if _, err := kept.AddAccount(browserAccount("late-leak")); err != nil {
		t.Fatalf("AddAccount on the config kept from fn: %v", err)
	}
	assertLoad(t, s, want, "after mutating the config fn saw, once Update returned")
}

func (c ConfigStore) testConcurrentUpdates(t *testing.T) {
	ctx := context.Background()
	s := c.New(t)
	var wg sync.WaitGroup
	errs := make(chan error, concurrentWriters)
	for i := range concurrentWriters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := domain.AccountName(fmt.Sprintf("writer-%02d", i))
			errs <- s.Update(ctx, func(cfg *domain.Config) error {
				_, err := cfg.AddAccount(browserAccount(name))
				return err
			})
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("concurrent Update: %v", err)
		}
	}
	for _, st := range []ports.ConfigStore{s, c.Reopen(t, s)} {
		cfg, err := st.Load(ctx)
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		if got := len(cfg.AccountNames()); got != concurrentWriters {
			t.Fatalf("after %d concurrent Updates: %d accounts %v, want %d", concurrentWriters, got, cfg.AccountNames(), concurrentWriters)
		}
		for i := range concurrentWriters {
			name := domain.AccountName(fmt.Sprintf("writer-%02d", i))
			if _, ok := cfg.Account(name); !ok {
				t.Errorf("account %s lost", name)
			}
		}
		if cfg.Active().Account == "" {
			t.Error("no active account: the first AddAccount should have promoted one")
		}
	}
}

func (c ConfigStore) testDurable(t *testing.T) {
	s := c.New(t)
	mustUpdate(t, s, BuildFullConfig)
	want := FullConfig(t)

	r := c.Reopen(t, s)
	assertLoad(t, r, want, "after Reopen")

	mustUpdate(t, r, func(cfg *domain.Config) error { return cfg.RemoveTarget("ecom") })
	if err := want.RemoveTarget("ecom"); err != nil {
		t.Fatal(err)
	}
	assertLoad(t, c.Reopen(t, r), want, "after an Update on a reopened store and another Reopen")
}

func (c ConfigStore) testHandlesShareState(t *testing.T) {
	a := c.New(t)
	b := c.Reopen(t, a)
	mustUpdate(t, a, func(cfg *domain.Config) error {
		_, err := cfg.AddAccount(browserAccount("from-a"))
		return err
	})
	mustUpdate(t, b, func(cfg *domain.Config) error {
		if _, ok := cfg.Account("from-a"); !ok {
			return errors.New("the second handle's Update did not see the account added through the first handle")
		}
		_, err := cfg.AddAccount(browserAccount("from-b"))
		return err
	})
	for _, s := range []ports.ConfigStore{a, b} {
		cfg, err := s.Load(context.Background())
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		if got := cfg.AccountNames(); !reflect.DeepEqual(got, []domain.AccountName{"from-a", "from-b"}) {
			t.Fatalf("accounts = %v, want [from-a from-b]", got)
		}
	}
}

func (c ConfigStore) testCancelledContext(t *testing.T) {
	s := c.New(t)
	mustUpdate(t, s, BuildFullConfig)
	want := FullConfig(t)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Load(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Load with a cancelled context: error = %v, want context.Canceled", err)
	}
	err := s.Update(ctx, func(cfg *domain.Config) error {
		_, err := cfg.AddAccount(browserAccount("too-late"))
		return err
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Update with a cancelled context: error = %v, want context.Canceled", err)
	}
	assertLoad(t, s, want, "after an Update with a cancelled context")
	assertLoad(t, c.Reopen(t, s), want, "after an Update with a cancelled context and Reopen")
}

// BuildFullConfig fills cfg with a config that uses every feature of the
// schema: the three account types (both forms of oauth_token), a target
// with a workspace, an active account with a workspace and a custom header.
// It is the mutation FullConfig applies to an empty config.
func BuildFullConfig(cfg *domain.Config) error {
	accounts := []domain.Account{
		{Name: "personal", Type: domain.TypeOAuthBrowser, Region: domain.RegionUS, DefaultProject: "3713224"},
		{
			Name: "team", Type: domain.TypeServiceAccount, Region: domain.RegionEU, DefaultProject: "3018488",
			Username: "team-mp.1a2b3c.mp-service-account", Secret: domain.NewSecret("porttest-sa-secret \"quoted\" 'single' \\ end"),
		},
		{Name: "ci", Type: domain.TypeOAuthToken, Region: domain.RegionIN, DefaultProject: "3713224", TokenEnv: "MP_CI_TOKEN"},
		{Name: "static", Type: domain.TypeOAuthToken, Region: domain.RegionUS, Token: domain.NewSecret("porttest-inline-token")},
	}
	for _, a := range accounts {
		if _, err := cfg.AddAccount(a); err != nil {
			return err
		}
	}
	if err := cfg.AddTarget(domain.Target{Name: "ecom", Account: "team", Project: "3018488", Workspace: 3448414}); err != nil {
		return err
	}
	if err := cfg.UseAccount("team"); err != nil {
		return err
	}
	if err := cfg.SetActiveWorkspace(3448414); err != nil {
		return err
	}
	return cfg.SetCustomHeader(&domain.Header{Name: "X-Mp-Porttest", Value: "value with spaces, \"quotes\" and ünïcode"})
}

// FullConfig returns the config BuildFullConfig describes.
func FullConfig(t testing.TB) domain.Config {
	t.Helper()
	var cfg domain.Config
	if err := BuildFullConfig(&cfg); err != nil {
		t.Fatalf("BuildFullConfig: %v", err)
	}
	return cfg
}

// EqualConfigs reports whether two configs hold the same accounts (secrets
// included), targets, active selection and settings.
func EqualConfigs(a, b domain.Config) bool {
	return reflect.DeepEqual(a.Data(), b.Data())
}

func browserAccount(name domain.AccountName) domain.Account {
	return domain.Account{Name: name, Type: domain.TypeOAuthBrowser, Region: domain.RegionUS, DefaultProject: "1"}
}

func mustUpdate(t *testing.T, s ports.ConfigStore, fn func(*domain.Config) error) {
	t.Helper()
	if err := s.Update(context.Background(), fn); err != nil {
		t.Fatalf("Update: %v", err)
	}
}

func assertLoad(t *testing.T, s ports.ConfigStore, want domain.Config, when string) {
	t.Helper()
	got, err := s.Load(context.Background())
	if err != nil {
		t.Fatalf("Load %s: %v", when, err)
	}
	if !EqualConfigs(got, want) {
		t.Fatalf("Load %s:\n got  %s\n want %s", when, describe(got), describe(want))
	}
}

// describe renders a config for failure messages. Secrets are compared by
// EqualConfigs but shown only as whether they are set.
func describe(c domain.Config) string {
	d := c.Data()
	out := fmt.Sprintf("active=%+v", d.Active)
	for _, a := range d.Accounts {
		out += fmt.Sprintf(" account{%s %s %s project=%q user=%q secret-set=%t token-set=%t token_env=%q}",
			a.Name, a.Type, a.Region, a.DefaultProject, a.Username, !a.Secret.IsZero(), !a.Token.IsZero(), a.TokenEnv)
	}
	for _, tg := range d.Targets {
		out += fmt.Sprintf(" target%+v", tg)
	}
	if h := d.Settings.CustomHeader; h != nil {
		out += fmt.Sprintf(" header{%q: %q}", h.Name, h.Value)
	}
	return out
}
