package oauthflow_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/mpdata/mp/adapters/oauthflow"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/mptest"
)

// issued returns sandbox tokens for Jo in region as domain tokens.
func issued(t *testing.T, srv *mptest.Server, region string, clientID string) domain.Tokens {
	t.Helper()
	tk, err := srv.IssueTokens(region, mptest.UserJo)
	if err != nil {
		t.Fatal(err)
	}
	return domain.Tokens{
		AccessToken:  domain.NewSecret(tk.AccessToken),
		RefreshToken: domain.NewSecret(tk.RefreshToken),
		ExpiresAt:    now.Add(-time.Minute),
		TokenType:    "Bearer",
		Scope:        "old scope",
		ClientID:     clientID,
	}
}

func TestRefreshRotatesAndReuseIsRevoked(t *testing.T) {
	fx := newFixture(t)
	old := issued(t, fx.srv, "eu", "client-of-the-tokens")
	// The cache holds another client: Refresh must use the tokens' own.
	_ = fx.clients.Put(context.Background(), domain.OAuthClient{ClientID: "cached-client", Region: domain.RegionEU, RedirectURI: "http://localhost:1/callback"})
	f := fx.flow()

	fresh, err := f.Refresh(context.Background(), domain.RegionEU, old)
	if err != nil {
		t.Fatalf("Refresh: %v", err)
	}
	switch {
	case fresh.AccessToken.Equal(old.AccessToken) || fresh.AccessToken.IsZero():
		t.Fatal("the access token did not change")
	case fresh.RefreshToken.IsZero() || fresh.RefreshToken.Equal(old.RefreshToken):
		t.Fatal("the rotated refresh token is missing or unchanged")
	case fresh.ClientID != "client-of-the-tokens":
		t.Fatalf("ClientID = %q; want the tokens' client", fresh.ClientID)
	case !fresh.ExpiresAt.Equal(now.Add(time.Hour)):
		t.Fatalf("ExpiresAt = %v; want clock + 1h", fresh.ExpiresAt)
	case fresh.Scope != domain.OAuthScope || fresh.TokenType != "Bearer":
		t.Fatalf("Scope %q TokenType %q; want the answer's", fresh.Scope, fresh.TokenType)
	}
	if !bearerWorks(t, fx.srv, "eu", fresh.AccessToken) {
		t.Fatal("the refreshed access token does not work")
	}
	form := fx.rec.last(t, "/oauth/token/").form(t)
	var keys []string
	for k := range form {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if !slices.Equal(keys, []string{"client_id", "grant_type", "refresh_token"}) ||
		form.Get("grant_type") != "refresh_token" || form.Get("client_id") != "client-of-the-tokens" || form.Get("refresh_token") != old.RefreshToken.Reveal() {
		t.Fatalf("refresh form keys %v (grant_type %q, client_id %q); want grant_type=refresh_token, the old refresh token and the tokens' client", keys, form.Get("grant_type"), form.Get("client_id"))
	}
	if p := fx.rec.last(t, "/oauth/token/").path; p != "/eu/oauth/token/" {
		t.Fatalf("refresh went to %s; want /eu/oauth/token/", p)
	}

	// The used refresh token is rejected: revoked, with the re-login hint.
	_, err = f.Refresh(context.Background(), domain.RegionEU, old)
	de := codeOf(t, err, domain.CodeOAuthRefreshRevoked)
	if de.Hint != "run `mp account login` for this account" {
		t.Fatalf("hint %q", de.Hint)
	}
	if de.Details["status"] != http.StatusBadRequest {
		t.Fatalf("details %v; want status 400", de.Details)
	}
	assertNoSecrets(t, err, old.RefreshToken.Reveal(), old.AccessToken.Reveal(), fresh.RefreshToken.Reveal(), fresh.AccessToken.Reveal())

	// The rotated one still works once.
	if _, err := f.Refresh(context.Background(), domain.RegionEU, fresh); err != nil {
		t.Fatalf("Refresh with the rotated token: %v", err)
	}
}

func TestRefreshWithoutRotationLeavesRefreshTokenZero(t *testing.T) {
	fx := newFixture(t, mptest.WithoutRefreshRotation())
	old := issued(t, fx.srv, "us", "c1")
	fresh, err := fx.flow().Refresh(context.Background(), domain.RegionUS, old)
	if err != nil {
		t.Fatal(err)
	}
	if !fresh.RefreshToken.IsZero() {
		t.Fatal("an answer without refresh_token produced one (x/oauth2 copies the old one; the adapter must not)")
	}
	if merged := old.MergeRefresh(fresh); !merged.RefreshToken.Equal(old.RefreshToken) {
		t.Fatal("MergeRefresh lost the old refresh token")
	}
}

func TestRefreshRevokedAllForms(t *testing.T) {
	cases := []struct {
		name  string
		fault *mptest.Fault
	}{
		{"revoked in the sandbox", nil},
		{"401 invalid_grant", ptr(mptest.Body(401, "application/json", `{"error": "invalid_grant", "error_description": "expired"}`))},
		{"400 invalid_grant as a form", ptr(mptest.Body(400, "application/x-www-form-urlencoded", `error=invalid_grant`))},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fx := newFixture(t)
			old := issued(t, fx.srv, "us", "c1")
			if tc.fault == nil {
				fx.srv.RevokeTokens()
			} else {
				fx.srv.Inject(mptest.RouteToken, *tc.fault)
			}
			_, err := fx.flow().Refresh(context.Background(), domain.RegionUS, old)
			codeOf(t, err, domain.CodeOAuthRefreshRevoked)
			assertNoSecrets(t, err, old.RefreshToken.Reveal())
		})
	}
}

func ptr[T any](v T) *T { return &v }

func TestRefreshFailures(t *testing.T) {
	cases := []struct {
		name      string
		fault     mptest.Fault
		code      domain.Code
		retryable bool
	}{
		{"503", mptest.ServerError(503), domain.CodeOAuthRefreshError, true},
		{"500 with a text body", mptest.Body(500, "text/plain", "boom"), domain.CodeOAuthRefreshError, true},
		{"429", mptest.RateLimit(5), domain.CodeOAuthRefreshError, true},
		{"invalid_client", mptest.Body(401, "application/json", `{"error": "invalid_client"}`), domain.CodeOAuthRefreshError, false},
		{"200 not a token", mptest.Body(200, "application/json", `{"hello": 1}`), domain.CodeOAuthRefreshError, true},
		{"connection dropped", mptest.CloseConnection(), domain.CodeNetworkUnreachable, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fx := newFixture(t)
			old := issued(t, fx.srv, "us", "c1")
			fx.srv.Inject(mptest.RouteToken, tc.fault)
			_, err := fx.flow().Refresh(context.Background(), domain.RegionUS, old)
			de := codeOf(t, err, tc.code)
			if got := de.Details["retryable"] == true; got != tc.retryable {
				t.Fatalf("retryable = %t; want %t (%v)", got, tc.retryable, err)
			}
			assertNoSecrets(t, err, old.RefreshToken.Reveal(), old.AccessToken.Reveal())
			// The refresh token was not consumed: it still works.
			if _, err := fx.flow().Refresh(context.Background(), domain.RegionUS, old); err != nil {
				t.Fatalf("Refresh after the failure: %v", err)
			}
		})
	}
}

func TestRefreshUnreachable(t *testing.T) {
	fx := newFixture(t)
	old := issued(t, fx.srv, "us", "c1")
	fx.opts.BaseURL = "http://127.0.0.1:" + strconv.Itoa(freePort(t))
	_, err := fx.flow().Refresh(context.Background(), domain.RegionUS, old)
	de := codeOf(t, err, domain.CodeNetworkUnreachable)
	if de.Details["retryable"] != true {
		t.Fatal("not retryable")
	}
	assertNoSecrets(t, err, old.RefreshToken.Reveal())
}

func TestRefreshExpiresInForms(t *testing.T) {
	cases := []struct {
		name string
		body string
		want time.Duration
	}{
		{"string", `{"access_token": "a1", "token_type": "Bearer", "expires_in": "3600"}`, time.Hour},
		{"fractional string", `{"access_token": "a1", "token_type": "Bearer", "expires_in": "3600.5"}`, time.Hour + 500*time.Millisecond},
		{"fractional number", `{"access_token": "a1", "token_type": "Bearer", "expires_in": 1.25}`, 1250 * time.Millisecond},
		{"none", `{"access_token": "a1", "token_type": "Bearer"}`, 0},
		{"null", `{"access_token": "a1", "token_type": "Bearer", "expires_in": null}`, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fx := newFixture(t)
			old := issued(t, fx.srv, "us", "c1")
			fx.srv.Inject(mptest.RouteToken, mptest.Body(200, "application/json", tc.body))
			fresh, err := fx.flow().Refresh(context.Background(), domain.RegionUS, old)
			if err != nil {
				t.Fatalf("Refresh: %v", err)
			}
			want := time.Time{}
			if tc.want > 0 {
				want = now.Add(tc.want)
			}
			if !fresh.ExpiresAt.Equal(want) || fresh.AccessToken.Reveal() != "a1" {
				t.Fatalf("ExpiresAt = %v; want %v", fresh.ExpiresAt, want)
			}
		})
	}
	t.Run("sandbox lifetime 1.5s", func(t *testing.T) {
		fx := newFixture(t, mptest.WithAccessTokenLifetime(1500*time.Millisecond))
		old := issued(t, fx.srv, "us", "c1")
		fresh, err := fx.flow().Refresh(context.Background(), domain.RegionUS, old)
		if err != nil {
			t.Fatal(err)
		}
		if !fresh.ExpiresAt.Equal(now.Add(1500 * time.Millisecond)) {
			t.Fatalf("ExpiresAt = %v; want clock + 1.5s", fresh.ExpiresAt)
		}
	})
	t.Run("not a number", func(t *testing.T) {
		fx := newFixture(t)
		old := issued(t, fx.srv, "us", "c1")
		fx.srv.Inject(mptest.RouteToken, mptest.Body(200, "application/json", `{"access_token": "a1", "expires_in": "soon"}`))
		_, err := fx.flow().Refresh(context.Background(), domain.RegionUS, old)
		codeOf(t, err, domain.CodeOAuthRefreshError)
		assertNoSecrets(t, err, "a1")
	})
}

func TestRefreshClientFallbackAndPreconditions(t *testing.T) {
	fx := newFixture(t)
	ctx := context.Background()
	f := fx.flow()

	// No client id and no cached client: cannot refresh.
	noClient := issued(t, fx.srv, "us", "")
	_, err := f.Refresh(ctx, domain.RegionUS, noClient)
	codeOf(t, err, domain.CodeOAuthTokenError)

	// No client id (a Python-written file): the region's cached client.
	_ = fx.clients.Put(ctx, domain.OAuthClient{ClientID: "cached-us", Region: domain.RegionUS, RedirectURI: "x"})
	fresh, err := f.Refresh(ctx, domain.RegionUS, noClient)
	if err != nil {
		t.Fatal(err)
	}
	if fresh.ClientID != "cached-us" || fx.rec.last(t, "/oauth/token/").form(t).Get("client_id") != "cached-us" {
		t.Fatalf("ClientID = %q; want the cached client", fresh.ClientID)
	}

	// No refresh token.
	bare := noClient
	bare.RefreshToken = domain.Secret{}
	_, err = f.Refresh(ctx, domain.RegionUS, bare)
	codeOf(t, err, domain.CodeOAuthTokenError)

	// Bad region.
	if _, err := f.Refresh(ctx, "mars", noClient); !errors.Is(err, domain.CodeInvalidArgument) {
		t.Fatalf("Refresh in region mars: %v", err)
	}

	// Cancelled context.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := f.Refresh(cctx, domain.RegionUS, issued(t, fx.srv, "us", "c")); !errors.Is(err, context.Canceled) {
		t.Fatalf("Refresh with a cancelled context: %v", err)
	}
}

func TestRefreshDefaultOptions(t *testing.T) {
	// The zero Options reach the real hosts; with a base URL only, a
	// default HTTP client and clock are used.
	srv := mptest.NewServer(t)
	old := issued(t, srv, "us", "c1")
	before := time.Now()
	fresh, err := oauthflow.New(oauthflow.Options{BaseURL: srv.URL()}).Refresh(context.Background(), domain.RegionUS, old)
	if err != nil {
		t.Fatal(err)
	}
	if fresh.ExpiresAt.Before(before.Add(time.Hour-time.Second)) || fresh.ExpiresAt.After(time.Now().Add(time.Hour+time.Second)) {
		t.Fatalf("ExpiresAt = %v; want about an hour from now", fresh.ExpiresAt)
	}
}
