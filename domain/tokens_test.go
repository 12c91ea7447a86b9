package domain_test

import (
	"testing"
	"time"

	"github.com/mpdata/mp/domain"
)

func TestTokensExpiredAt(t *testing.T) {
	exp := time.Date(2026, 4, 1, 12, 0, 0, 0, time.UTC)
	tok := domain.Tokens{AccessToken: domain.NewSecret("at"), ExpiresAt: exp, ClientID: "c"}
	for _, tt := range []struct {
		name string
		now  time.Time
		want bool
	}{
		{"long before", exp.Add(-time.Hour), false},
		{"one nanosecond before the skew edge", exp.Add(-domain.ExpirySkew - time.Nanosecond), false},
		{"exactly at the skew edge", exp.Add(-domain.ExpirySkew), true},
		{"inside the skew", exp.Add(-domain.ExpirySkew + time.Second), true},
		{"at expires_at", exp, true},
		{"after", exp.Add(time.Hour), true},
		{"other time zone, same instant as the edge", exp.Add(-domain.ExpirySkew).In(time.FixedZone("x", 5*3600)), true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := tok.ExpiredAt(tt.now); got != tt.want {
				t.Fatalf("ExpiredAt(%v) = %v, want %v", tt.now, got, tt.want)
			}
		})
	}
	if domain.ExpirySkew != 30*time.Second {
		t.Fatalf("ExpirySkew = %v, want 30s (docs/reference/files.md)", domain.ExpirySkew)
	}
	noExpiry := domain.Tokens{AccessToken: domain.NewSecret("at")}
	if noExpiry.ExpiredAt(exp.Add(100 * 365 * 24 * time.Hour)) {
		t.Fatal("a token without expires_at counts as expired")
	}
}

func TestTokensMergeRefresh(t *testing.T) {
	old := domain.Tokens{
		AccessToken: domain.NewSecret("old-access"), RefreshToken: domain.NewSecret("old-refresh"),
		ExpiresAt: time.Unix(100, 0), TokenType: "Bearer", Scope: "projects", ClientID: "client-1",
	}
	t.Run("no refresh token in the answer keeps the old one and the client", func(t *testing.T) {
		fresh := domain.Tokens{AccessToken: domain.NewSecret("new-access"), ExpiresAt: time.Unix(200, 0)}
		got := old.MergeRefresh(fresh)
		if got.AccessToken.Reveal() != "new-access" || !got.ExpiresAt.Equal(time.Unix(200, 0)) {
			t.Fatalf("access token or expiry not taken from the refresh: %+v", got)
		}
		if got.RefreshToken.Reveal() != "old-refresh" {
			t.Fatal("the old refresh token was not kept")
		}
		if got.ClientID != "client-1" || got.TokenType != "Bearer" || got.Scope != "projects" {
			t.Fatalf("client id, type or scope not kept: %+v", got)
		}
	})
	t.Run("a rotated refresh token replaces the old one", func(t *testing.T) {
		fresh := domain.Tokens{
			AccessToken: domain.NewSecret("new-access"), RefreshToken: domain.NewSecret("new-refresh"),
			TokenType: "bearer", Scope: "projects analysis", ClientID: "client-2",
		}
		got := old.MergeRefresh(fresh)
		if got.RefreshToken.Reveal() != "new-refresh" || got.ClientID != "client-2" ||
			got.TokenType != "bearer" || got.Scope != "projects analysis" {
			t.Fatalf("fresh values not taken: %+v", got)
		}
	})
	t.Run("the receiver is not changed", func(t *testing.T) {
		_ = old.MergeRefresh(domain.Tokens{AccessToken: domain.NewSecret("x"), RefreshToken: domain.NewSecret("y")})
		if old.AccessToken.Reveal() != "old-access" || old.RefreshToken.Reveal() != "old-refresh" {
			t.Fatal("MergeRefresh changed its receiver")
		}
	})
}

func TestTokensValidate(t *testing.T) {
	// A file the Python tool wrote has no client_id: still usable.
	for name, tok := range map[string]domain.Tokens{
		"with client id":    {AccessToken: domain.NewSecret("at"), ClientID: "c"},
		"without client id": {AccessToken: domain.NewSecret("at")},
	} {
		if err := tok.Validate(); err != nil {
			t.Errorf("%s: Validate = %v", name, err)
		}
	}
	if err := (domain.Tokens{ClientID: "c"}).Validate(); domain.CodeOf(err) != domain.CodeOAuthTokenError {
		t.Errorf("no access token: Validate = %v, want OAUTH_TOKEN_ERROR", err)
	}
}
