package wiring_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/mpdata/mp/adapters/filestore"
	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/internal/wiring"
	"github.com/mpdata/mp/mptest"
	"github.com/mpdata/mp/ports/inmem"
)

func TestBrowser(t *testing.T) {
	for _, tt := range []struct {
		env  inmem.Env
		want wiring.BrowserCommand
	}{
		{inmem.Env{}, ""},
		{inmem.Env{"MP_BROWSER": "  "}, ""},
		{inmem.Env{"MP_BROWSER": " /usr/bin/chromium --headless \n"}, "/usr/bin/chromium --headless"},
	} {
		if got := wiring.Browser(tt.env); got != tt.want {
			t.Errorf("Browser(%v) = %q, want %q", tt.env, got, tt.want)
		}
	}
}

// TestNewAppRefreshesOAuthTokens runs the wired App against mptest: an
// oauth_browser account whose stored tokens have expired is refreshed once
// by 8 concurrent users of two Apps (two "processes" sharing tokens.json),
// the rotated tokens land in tokens.json (0600, client_id kept), and the
// account then lists its projects. A revoked refresh token is
// OAUTH_REFRESH_REVOKED and leaves the file as it was.
func TestNewAppRefreshesOAuthTokens(t *testing.T) {
	ctx := context.Background()
	srv := mptest.NewServer(t)
	home := t.TempDir()
	env := inmem.Env{"MP_API_BASE_URL": srv.RegionURL()}
	_, storage := wiring.Paths(env, home)
	newApp := func() *app.App {
		s := wiring.Resolve(env, home)
		s.UserAgent, s.Log = wiring.NewUserAgent("test", "lib"), zap.NewNop()
		a, err := wiring.Build(s)
		if err != nil {
			t.Fatalf("Build: %v", err)
		}
		return a
	}
	first, second := newApp(), newApp()
	if _, err := first.Accounts.Add(ctx, domain.Account{Name: "jo", Type: domain.TypeOAuthBrowser, Region: domain.RegionUS}); err != nil {
		t.Fatal(err)
	}
	issued, err := srv.IssueTokens("us", mptest.UserJo)
	if err != nil {
		t.Fatal(err)
	}
	tokens := filestore.NewTokenStore(string(storage), home)
	expired := domain.Tokens{
		AccessToken: domain.NewSecret(issued.AccessToken), RefreshToken: domain.NewSecret(issued.RefreshToken),
		ExpiresAt: time.Now().Add(-time.Minute), TokenType: "Bearer", Scope: "projects", ClientID: "client-from-login",
	}
	if err := tokens.Save(ctx, "jo", expired); err != nil {
		t.Fatal(err)
	}

	const n = 8
	got := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		a := first
		if i%2 == 1 {
			a = second
		}
		wg.Go(func() {
			tok, err := a.Accounts.Token(ctx, domain.Selection{}, "jo")
			got[i], errs[i] = tok.Reveal(), err
		})
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil || got[i] == "" || got[i] == issued.AccessToken || got[i] != got[0] {
			t.Fatalf("caller %d: Token = %q, %v (first: %q)", i, got[i], errs[i], got[0])
		}
	}
	if c := srv.Count(mptest.RouteToken); c != 1 {
		t.Fatalf("%d token-endpoint calls for %d concurrent callers, want exactly 1", c, n)
	}

	path := filepath.Join(string(storage), "accounts", "jo", "tokens.json")
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("tokens.json: %v, mode %v", err, fi.Mode())
	}
	var file map[string]any
	raw, _ := os.ReadFile(path)
	if err := json.Unmarshal(raw, &file); err != nil {
		t.Fatal(err)
	}
	if file["access_token"] != got[0] || file["refresh_token"] == issued.RefreshToken || file["refresh_token"] == "" ||
		file["client_id"] != "client-from-login" || !strings.HasSuffix(file["expires_at"].(string), "+00:00") {
		t.Fatalf("tokens.json after the refresh = %s", raw)
	}

	list, err := newApp().Projects.List(ctx, domain.Selection{Account: "jo"}, false)
	if err != nil || len(list) == 0 {
		t.Fatalf("Projects.List with the refreshed token = %+v, %v", list, err)
	}
	if c := srv.Count(mptest.RouteToken); c != 1 {
		t.Fatalf("a fresh token was refreshed again (%d token calls)", c)
	}

	// Revoked: the next refresh fails and tokens.json stays as it is.
	srv.RevokeTokens()
	stale := domain.Tokens{
		AccessToken: domain.NewSecret(got[0]), RefreshToken: domain.NewSecret(file["refresh_token"].(string)),
		ExpiresAt: time.Now().Add(-time.Minute), TokenType: "Bearer", ClientID: "client-from-login",
	}
	if err := tokens.Save(ctx, "jo", stale); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	_, err = newApp().Accounts.Token(ctx, domain.Selection{}, "jo")
	var de *domain.Error
	if domain.CodeOf(err) != domain.CodeOAuthRefreshRevoked {
		t.Fatalf("revoked refresh: %v", err)
	}
	if errors.As(err, &de) && de.Hint != "mp account login jo" {
		t.Fatalf("hint = %q", de.Hint)
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Fatal("a revoked refresh rewrote tokens.json")
	}
}
