package mp_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	mp "github.com/mpdata/mp"
	"github.com/mpdata/mp/mptest"
)

// TestUseBrowserAccountAfterLogin: Use refuses an oauth_browser account
// that never logged in (OAUTH_TOKEN_ERROR, the old session stays); after
// Accounts.Login — its authorize URL followed by an HTTP client, which the
// sandbox approves at once — the same Use succeeds and the handle
// queries with the account's token.
func TestUseBrowserAccountAfterLogin(t *testing.T) {
	f := newFixture(t, 1, 1)
	ctx := context.Background()
	ws := f.open(t)
	before := ws.Session()
	if err := ws.Use(ctx, mp.WithAccount("browser")); !errors.Is(err, mp.CodeOAuthTokenError) || ws.Session() != before {
		t.Fatalf("Use before the login = %v (session %v)", err, ws.Session())
	}
	follow := make(chan error, 1)
	res, err := ws.Accounts.Login(ctx, "browser", mp.LoginOptions{
		NoBrowser: true,
		Notify: func(ev mp.LoginEvent) {
			if ev.Kind != mp.LoginURL {
				return
			}
			go func() {
				resp, err := http.Get(ev.URL) // the sandbox redirects to the loopback callback
				if err == nil {
					err = resp.Body.Close()
				}
				follow <- err
			}()
		},
	})
	if err != nil {
		t.Fatalf("Login: %v", err)
	}
	if err := <-follow; err != nil {
		t.Fatalf("following the authorize URL: %v", err)
	}
	if res.Account != "browser" || res.User.Email == "" {
		t.Fatalf("Login = %+v", res)
	}
	if err := ws.Use(ctx, mp.WithAccount("browser")); err != nil {
		t.Fatalf("Use after the login: %v", err)
	}
	if res, err := ws.Segmentation(ctx, f.queries); err != nil || res.Event != "Login" {
		t.Fatalf("Segmentation as the browser account = %+v, %v", res, err)
	}
	if n := f.srv.Count(mptest.RouteToken); n != 1 {
		t.Fatalf("%d token-endpoint calls, want 1 (the code exchange)", n)
	}
}
