package oauthflow_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
)

// catcher is a server on 127.0.0.2 that records whatever reaches it: it
// must receive nothing.
type catcher struct {
	srv  *httptest.Server
	mu   sync.Mutex
	seen []string
}

func newCatcher(t *testing.T) *catcher {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		t.Skipf("no 127.0.0.2 on this host: %v", err)
	}
	c := &catcher{}
	c.srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		c.mu.Lock()
		c.seen = append(c.seen, r.Method+" "+r.URL.Path+" "+string(body))
		c.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"access_token":"stolen","token_type":"Bearer","expires_in":3600,"client_id":"stolen"}`)
	}))
	_ = c.srv.Listener.Close()
	c.srv.Listener = l
	c.srv.Start()
	t.Cleanup(c.srv.Close)
	return c
}

func (c *catcher) requests() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.seen...)
}

// front is a server on 127.0.0.1 (another port than the sandbox) that
// passes every request to the sandbox, except those whose path ends with
// suffix: those get a 307 to the catcher, same path.
func front(t *testing.T, sandbox string, suffix string, to *catcher) string {
	t.Helper()
	target, _ := url.Parse(sandbox)
	proxy := httputil.NewSingleHostReverseProxy(target)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, suffix) {
			w.Header().Set("Location", to.srv.URL+r.URL.Path)
			w.WriteHeader(http.StatusTemporaryRedirect)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// The refresh token never follows a 307 to another host: OAUTH_REFRESH_ERROR
// naming the Location's origin, and the other host receives nothing.
func TestRefreshNeverFollowsRedirect(t *testing.T) {
	fx := newFixture(t)
	c := newCatcher(t)
	fx.opts.BaseURL = front(t, fx.srv.URL(), "/oauth/token/", c) + "/{region}"
	old := issued(t, fx.srv, "us", "client-of-the-tokens")
	_, err := fx.flow().Refresh(context.Background(), domain.RegionUS, old)
	de := codeOf(t, err, domain.CodeOAuthRefreshError)
	if !strings.Contains(de.Message, c.srv.URL) || de.Details["redirect_origin"] != c.srv.URL || de.Details["status"] != http.StatusTemporaryRedirect {
		t.Errorf("error %q, details %v; want the Location's origin %s", de.Message, de.Details, c.srv.URL)
	}
	assertNoSecrets(t, err, old.RefreshToken.Reveal(), old.AccessToken.Reveal())
	if got := c.requests(); len(got) != 0 {
		t.Fatalf("the other host received %q", got)
	}
}

// Registration and the code exchange never follow a redirect either (the
// code and the PKCE verifier stay home).
func TestLoginNeverFollowsRedirects(t *testing.T) {
	for _, tc := range []struct {
		name, suffix string
		want         domain.Code
	}{
		{"registration", "/oauth/mcp/register/", domain.CodeOAuthRegistrationError},
		{"code exchange", "/oauth/token/", domain.CodeOAuthTokenError},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fx := newFixture(t)
			c := newCatcher(t)
			fx.opts.BaseURL = front(t, fx.srv.URL(), tc.suffix, c) + "/{region}"
			r := await(t, login(context.Background(), fx.flow(), ports.LoginRequest{Region: domain.RegionUS}))
			de := codeOf(t, r.err, tc.want)
			if !strings.Contains(de.Message, c.srv.URL) || de.Details["redirect_origin"] != c.srv.URL {
				t.Errorf("error %q, details %v; want the Location's origin %s", de.Message, de.Details, c.srv.URL)
			}
			if got := c.requests(); len(got) != 0 {
				t.Fatalf("the other host received %q", got)
			}
		})
	}
}

// bigAnswer answers every request with 2 MiB of JSON padding.
func bigAnswer(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"access_token":"x","client_id":"x","pad":"`+strings.Repeat("a", 2<<20)+`"}`)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/{region}"
}

// An OAuth answer beyond 1 MiB is the request's OAUTH_* error naming the
// limit and the endpoint, not a network error and not a truncated parse.
func TestOversizeOAuthAnswers(t *testing.T) {
	fx := newFixture(t)
	fx.opts.BaseURL = bigAnswer(t)
	old := issued(t, fx.srv, "us", "client-of-the-tokens")
	_, err := fx.flow().Refresh(context.Background(), domain.RegionUS, old)
	de := codeOf(t, err, domain.CodeOAuthRefreshError)
	if !strings.Contains(de.Message, "1 MiB") || !strings.Contains(de.Message, "/oauth/token/") {
		t.Errorf("refresh: %q lacks the limit or the endpoint", de.Message)
	}
	r := await(t, login(context.Background(), fx.flow(), ports.LoginRequest{Region: domain.RegionUS}))
	de = codeOf(t, r.err, domain.CodeOAuthRegistrationError)
	if !strings.Contains(de.Message, "1 MiB") || !strings.Contains(de.Message, "/oauth/mcp/register/") {
		t.Errorf("registration: %q lacks the limit or the endpoint", de.Message)
	}
}
