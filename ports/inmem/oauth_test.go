package inmem_test

import (
	"context"
	"errors"
	"testing"

	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
	"github.com/mpdata/mp/ports/inmem"
	"github.com/mpdata/mp/ports/porttest"
)

func TestTokenStoreContract(t *testing.T) {
	porttest.TokenStore{
		New:    func(*testing.T) ports.TokenStore { return inmem.NewTokenStore() },
		Reopen: func(_ *testing.T, s ports.TokenStore) ports.TokenStore { return s },
		Corrupt: func(_ *testing.T, s ports.TokenStore, account domain.AccountName) {
			s.(*inmem.TokenStore).Corrupt(account)
		},
	}.Run(t)
}

func TestClientCacheContract(t *testing.T) {
	porttest.ClientCache{
		New:    func(*testing.T) ports.ClientCache { return inmem.NewClientCache() },
		Reopen: func(_ *testing.T, c ports.ClientCache) ports.ClientCache { return c },
	}.Run(t)
}

func TestTokenStoreCounts(t *testing.T) {
	s := inmem.NewTokenStore()
	ctx := context.Background()
	_ = s.Save(ctx, "a", porttest.SampleTokens("a"))
	_, _, _ = s.Load(ctx, "a")
	_, _, _ = s.Load(ctx, "b")
	_, _ = s.Delete(ctx, "a")
	if l, sv, d := s.Counts(); l != 2 || sv != 1 || d != 1 {
		t.Fatalf("Counts = %d loads, %d saves, %d deletes; want 2, 1, 1", l, sv, d)
	}
	if s.Has("a") {
		t.Fatal("Has after Delete = true")
	}
}

func TestOAuthFlowScripted(t *testing.T) {
	ctx := context.Background()
	f := inmem.NewOAuthFlow()

	// Nothing scripted: a clear error.
	if _, err := f.Login(ctx, ports.LoginRequest{Region: domain.RegionUS}); !errors.Is(err, domain.CodeOAuthTokenError) {
		t.Fatalf("unscripted Login: %v; want OAUTH_TOKEN_ERROR", err)
	}
	if _, err := f.Refresh(ctx, domain.RegionUS, porttest.SampleTokens("x")); !errors.Is(err, domain.CodeOAuthTokenError) {
		t.Fatalf("unscripted Refresh: %v; want OAUTH_TOKEN_ERROR", err)
	}

	// Queued results come first, in order, then the function.
	first, second := porttest.SampleTokens("first"), porttest.SampleTokens("second")
	denied := domain.NewError(domain.CodeOAuthAuthDenied, "denied")
	f.QueueLogin(first, nil)
	f.QueueLogin(domain.Tokens{}, denied)
	f.OnLogin(func(context.Context, ports.LoginRequest) (domain.Tokens, error) { return second, nil })

	var events []ports.LoginEventKind
	var opened []bool
	req := ports.LoginRequest{Region: domain.RegionEU, NoBrowser: true, Notify: func(ev ports.LoginEvent) {
		events = append(events, ev.Kind)
		if ev.Kind == ports.LoginURL {
			opened = append(opened, ev.BrowserOpened)
		}
	}}
	got, err := f.Login(ctx, req)
	if err != nil || !porttest.SameTokens(got, first) {
		t.Fatalf("Login #1 = %s, %v; want the first queued tokens", porttest.DescribeTokens(got), err)
	}
	if _, err := f.Login(ctx, req); !errors.Is(err, domain.CodeOAuthAuthDenied) {
		t.Fatalf("Login #2: %v; want the queued error", err)
	}
	if got, err := f.Login(ctx, req); err != nil || !porttest.SameTokens(got, second) {
		t.Fatalf("Login #3 = %s, %v; want OnLogin's tokens", porttest.DescribeTokens(got), err)
	}
	want := []ports.LoginEventKind{
		ports.LoginURL, ports.LoginWaiting, ports.LoginCode,
		ports.LoginURL, ports.LoginWaiting,
		ports.LoginURL, ports.LoginWaiting, ports.LoginCode,
	}
	if len(events) != len(want) {
		t.Fatalf("events = %v; want %v", events, want)
	}
	for i := range want {
		if events[i] != want[i] {
			t.Fatalf("events = %v; want %v", events, want)
		}
	}
	for _, o := range opened {
		if o {
			t.Fatal("LoginURL reported an opened browser with NoBrowser set")
		}
	}
	if n := f.LoginCalls(); n != 4 {
		t.Fatalf("LoginCalls = %d; want 4", n)
	}
	if reqs := f.LoginRequests(); reqs[3].Region != domain.RegionEU {
		t.Fatalf("LoginRequests()[3].Region = %s; want eu", reqs[3].Region)
	}

	rotated := porttest.SampleTokens("rotated")
	f.QueueRefresh(rotated, nil)
	f.OnRefresh(func(_ context.Context, _ domain.Region, tk domain.Tokens) (domain.Tokens, error) {
		return domain.Tokens{AccessToken: domain.NewSecret("fresh-" + tk.ClientID)}, nil
	})
	if got, err := f.Refresh(ctx, domain.RegionIN, first); err != nil || !porttest.SameTokens(got, rotated) {
		t.Fatalf("Refresh #1 = %s, %v; want the queued tokens", porttest.DescribeTokens(got), err)
	}
	got, err = f.Refresh(ctx, domain.RegionIN, first)
	if err != nil || got.AccessToken.Reveal() != "fresh-"+first.ClientID {
		t.Fatalf("Refresh #2 = %s, %v; want OnRefresh's tokens", porttest.DescribeTokens(got), err)
	}
	calls := f.RefreshRequests()
	if f.RefreshCalls() != 3 || len(calls) != 3 || calls[1].Region != domain.RegionIN || !porttest.SameTokens(calls[1].Tokens, first) {
		t.Fatalf("RefreshRequests = %d calls; want 3 with the region and tokens passed", len(calls))
	}

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := f.Refresh(cancelled, domain.RegionUS, first); !errors.Is(err, context.Canceled) {
		t.Fatalf("Refresh with a cancelled context: %v", err)
	}
}
