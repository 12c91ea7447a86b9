package mp

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports/inmem"
)

// tsFixture is an App over in-memory fakes with the oauth_browser account
// "web" (tokens expiring at t0+1h) and the service account "svc".
type tsFixture struct {
	app    *app.App
	tokens *inmem.TokenStore
	oauth  *inmem.OAuthFlow
	clock  *inmem.Clock
}

var t0 = time.Date(2026, 4, 1, 10, 0, 0, 0, time.UTC)

func newTSFixture(t *testing.T) *tsFixture {
	t.Helper()
	cfg, err := domain.NewConfig(domain.ConfigData{Accounts: []domain.Account{
		{Name: "web", Type: domain.TypeOAuthBrowser, Region: domain.RegionEU},
		{Name: "svc", Type: domain.TypeServiceAccount, Region: domain.RegionUS, Username: "u", Secret: domain.NewSecret("s")},
	}, Active: domain.Active{Account: "web"}})
	if err != nil {
		t.Fatal(err)
	}
	f := &tsFixture{tokens: inmem.NewTokenStore(), oauth: inmem.NewOAuthFlow(), clock: inmem.NewClock(t0)}
	err = f.tokens.Save(context.Background(), "web", domain.Tokens{
		AccessToken: domain.NewSecret("access-1"), RefreshToken: domain.NewSecret("refresh-1"),
		ExpiresAt: t0.Add(time.Hour), TokenType: "Bearer", ClientID: "client-1",
	})
	if err != nil {
		t.Fatal(err)
	}
	f.app = app.New(app.Deps{
		Config: inmem.NewConfigStore(cfg), Storage: inmem.NewAccountStorage(),
		API: inmem.NewMixpanelAPI(), Clock: f.clock, Tokens: f.tokens, OAuth: f.oauth,
	})
	return f
}

// source is the token source of account over the fixture's App, outside
// any handle's session.
func (f *tsFixture) source(ctx context.Context, account string) oauth2.TokenSource {
	return newTokenSource(ctx, f.app.Accounts, func(ctx context.Context) (context.Context, domain.Selection) {
		return ctx, domain.Selection{}
	}, domain.AccountName(account))
}

func TestTokenSourceRefreshesAndPersists(t *testing.T) {
	ctx := context.Background()
	f := newTSFixture(t)
	src := f.source(ctx, "web")

	tok, err := src.Token()
	if err != nil {
		t.Fatal(err)
	}
	if tok.AccessToken != "access-1" || tok.TokenType != "Bearer" || !tok.Expiry.Equal(t0.Add(time.Hour)) || tok.RefreshToken != "" {
		t.Fatalf("Token = %+v", tok)
	}

	// An hour later the token has expired: the source refreshes, and the
	// rotated tokens are in the store for every other user of the account.
	f.clock.Advance(time.Hour)
	f.oauth.QueueRefresh(domain.Tokens{
		AccessToken: domain.NewSecret("access-2"), RefreshToken: domain.NewSecret("refresh-2"), ExpiresAt: t0.Add(2 * time.Hour),
	}, nil)
	tok, err = src.Token()
	if err != nil {
		t.Fatal(err)
	}
	if tok.AccessToken != "access-2" || !tok.Expiry.Equal(t0.Add(2*time.Hour)) {
		t.Fatalf("Token after expiry = %+v", tok)
	}
	stored, _, _ := f.tokens.Load(ctx, "web")
	if stored.AccessToken.Reveal() != "access-2" || stored.RefreshToken.Reveal() != "refresh-2" || stored.ClientID != "client-1" {
		t.Fatalf("stored = %+v: the rotated tokens were not persisted", stored)
	}
	if req := f.oauth.RefreshRequests(); len(req) != 1 || req[0].Region != domain.RegionEU || req[0].Tokens.RefreshToken.Reveal() != "refresh-1" {
		t.Fatalf("refresh requests = %+v", req)
	}

	// The resolved account (the active one) when no name is given.
	tok, err = f.source(ctx, "").Token()
	if err != nil || tok.AccessToken != "access-2" {
		t.Fatalf("resolved account: %+v, %v", tok, err)
	}
}

func TestTokenSourceWithOAuth2Client(t *testing.T) {
	ctx := context.Background()
	f := newTSFixture(t)
	var got string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Get("Authorization")
	}))
	defer srv.Close()
	client := oauth2.NewClient(ctx, oauth2.ReuseTokenSource(nil, f.source(ctx, "web")))
	resp, err := client.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if got != "Bearer access-1" {
		t.Fatalf("Authorization = %q", got)
	}
}

func TestTokenSourceErrors(t *testing.T) {
	ctx := context.Background()
	f := newTSFixture(t)
	_, err := f.source(ctx, "svc").Token()
	if domain.CodeOf(err) != domain.CodeConfigError {
		t.Fatalf("service account: %v", err)
	}
	// Errors are the library's typed *Error, like every other call's.
	var me *Error
	if !errors.As(err, &me) || me.Code() != CodeConfigError {
		t.Fatalf("service account: %T %v, want an *mp.Error", err, err)
	}
	if _, err := f.source(ctx, "nope").Token(); domain.CodeOf(err) != domain.CodeAccountNotFound {
		t.Fatalf("unknown account: %v", err)
	}
	f.clock.Advance(time.Hour)
	f.oauth.QueueRefresh(domain.Tokens{}, domain.NewError(domain.CodeOAuthRefreshRevoked, "invalid_grant"))
	_, err = f.source(ctx, "web").Token()
	if !errors.As(err, &me) || me.Code() != CodeOAuthRefreshRevoked {
		t.Fatalf("revoked: %v", err)
	}
	if stored, _, _ := f.tokens.Load(ctx, "web"); stored.AccessToken.Reveal() != "access-1" {
		t.Fatal("a revoked refresh changed the stored tokens")
	}
}
