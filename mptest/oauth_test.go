package mptest_test

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mpdata/mp/mptest"
)

const redirectURI = "http://localhost:19284/callback"

// register registers a client under prefix and returns its client_id.
func register(t *testing.T, srv *mptest.Server, prefix string) string {
	t.Helper()
	body := `{"redirect_uris":["` + redirectURI + `"],"grant_types":["authorization_code","refresh_token"],` +
		`"response_types":["code"],"token_endpoint_auth_method":"none","scope":"projects analysis"}`
	a := send(t, http.DefaultClient, http.MethodPost, srv.URL()+prefix+"/oauth/mcp/register/", nil, "application/json", strings.NewReader(body))
	wantStatus(t, a, http.StatusCreated)
	got := decode[struct {
		ClientID string `json:"client_id"`
	}](t, a)
	if got.ClientID == "" {
		t.Fatalf("no client_id in %s", a.body)
	}
	return got.ClientID
}

// pkce is a verifier and its S256 challenge.
type pkce struct{ verifier, challenge string }

func newPKCE(seed string) pkce {
	v := strings.Repeat(seed, 43/len(seed)+1)[:43]
	sum := sha256.Sum256([]byte(v))
	return pkce{verifier: v, challenge: base64.RawURLEncoding.EncodeToString(sum[:])}
}

// authorizeURL builds an authorize request.
func authorizeURL(srv *mptest.Server, prefix, clientID, state string, p pkce, change ...string) string {
	q := url.Values{
		"response_type": {"code"}, "client_id": {clientID}, "redirect_uri": {redirectURI},
		"state": {state}, "code_challenge": {p.challenge}, "code_challenge_method": {"S256"},
	}
	for i := 0; i+1 < len(change); i += 2 {
		if change[i+1] == "" {
			q.Del(change[i])
		} else {
			q.Set(change[i], change[i+1])
		}
	}
	return srv.URL() + prefix + "/oauth/authorize/?" + q.Encode()
}

// redirected returns the query of a 302 to the redirect URI.
func redirected(t *testing.T, a answer) url.Values {
	t.Helper()
	wantStatus(t, a, http.StatusFound)
	loc, err := url.Parse(a.header.Get("Location"))
	if err != nil || !strings.HasPrefix(loc.String(), redirectURI+"?") {
		t.Fatalf("Location = %q, want %s?…", a.header.Get("Location"), redirectURI)
	}
	return loc.Query()
}

// authorize runs an auto-approved authorize request and returns the code.
func authorize(t *testing.T, srv *mptest.Server, prefix, clientID string, p pkce) string {
	t.Helper()
	q := redirected(t, send(t, noRedirect(), http.MethodGet, authorizeURL(srv, prefix, clientID, "st4te", p), nil, "", nil))
	if q.Get("code") == "" || q.Get("state") != "st4te" {
		t.Fatalf("redirect query = %v, want code and state=st4te", q)
	}
	return q.Get("code")
}

// tokenAnswer is the token endpoint's answer.
type tokenAnswer struct {
	AccessToken  string          `json:"access_token"`
	TokenType    string          `json:"token_type"`
	ExpiresIn    json.RawMessage `json:"expires_in"`
	RefreshToken string          `json:"refresh_token"`
	Scope        string          `json:"scope"`
}

// exchange posts the authorization_code grant.
func exchange(t *testing.T, srv *mptest.Server, prefix, clientID, code, verifier string) answer {
	t.Helper()
	return postForm(t, srv, prefix+"/oauth/token/", url.Values{
		"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirectURI},
		"client_id": {clientID}, "code_verifier": {verifier},
	})
}

// refresh posts the refresh_token grant.
func refresh(t *testing.T, srv *mptest.Server, prefix, clientID, rt string) answer {
	t.Helper()
	return postForm(t, srv, prefix+"/oauth/token/", url.Values{
		"grant_type": {"refresh_token"}, "refresh_token": {rt}, "client_id": {clientID},
	})
}

// wantOAuthError checks status and {"error":code}.
func wantOAuthError(t *testing.T, a answer, status int, code string) {
	t.Helper()
	wantStatus(t, a, status)
	if e := decode[oauthErr](t, a); e.Error != code {
		t.Fatalf("error = %q, want %q (body %s)", e.Error, code, a.body)
	}
}

func TestOAuthCodeFlowWithPKCE(t *testing.T) {
	srv := mptest.NewServer(t)
	client := register(t, srv, "/us")
	p := newPKCE("verifier-")
	code := authorize(t, srv, "/us", client, p)

	a := exchange(t, srv, "/us", client, code, p.verifier)
	wantStatus(t, a, http.StatusOK)
	tok := decode[tokenAnswer](t, a)
	if tok.AccessToken == "" || tok.RefreshToken == "" || tok.TokenType != "Bearer" || string(tok.ExpiresIn) != "3600" || tok.Scope != "projects analysis" {
		t.Fatalf("token answer = %s", a.body)
	}
	if a.header.Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control = %q, want no-store", a.header.Get("Cache-Control"))
	}
	me := decode[meAnswer](t, get(t, srv, "/us/api/app/me", bearer(tok.AccessToken)))
	if me.Results.UserID != mptest.UserJo {
		t.Fatalf("/me with the access token: user %d, want %d", me.Results.UserID, mptest.UserJo)
	}
	wantStatus(t, get(t, srv, "/api/app/me", bearer(tok.AccessToken)), http.StatusOK)
	wantAppError(t, get(t, srv, "/eu/api/app/me", bearer(tok.AccessToken)), http.StatusUnauthorized)
	if srv.Count(mptest.RouteToken) != 1 || srv.Count(mptest.RouteRegister) != 1 || srv.Count(mptest.RouteAuthorize) != 1 {
		t.Errorf("counts: token %d, register %d, authorize %d; want 1 each",
			srv.Count(mptest.RouteToken), srv.Count(mptest.RouteRegister), srv.Count(mptest.RouteAuthorize))
	}
}

func TestOAuthTokensBelongToTheirRegion(t *testing.T) {
	srv := mptest.NewServer(t)
	client := register(t, srv, "/eu")
	p := newPKCE("eu-")
	tok := decode[tokenAnswer](t, exchange(t, srv, "/eu", client, authorize(t, srv, "/eu", client, p), p.verifier))
	wantStatus(t, get(t, srv, "/eu/api/app/me", bearer(tok.AccessToken)), http.StatusOK)
	wantAppError(t, get(t, srv, "/us/api/app/me", bearer(tok.AccessToken)), http.StatusUnauthorized)
	wantOAuthError(t, refresh(t, srv, "/us", client, tok.RefreshToken), http.StatusUnauthorized, "invalid_client")

	// A client registered with the eu cluster is unknown to the us one.
	a := send(t, noRedirect(), http.MethodGet, authorizeURL(srv, "/us", client, "s", p), nil, "", nil)
	wantStatus(t, a, http.StatusBadRequest)
	if a.header.Get("Location") != "" {
		t.Fatal("an unknown client must not be redirected")
	}
	// A code from the root works at the root and gives us tokens.
	root := register(t, srv, "")
	rt := decode[tokenAnswer](t, exchange(t, srv, "", root, authorize(t, srv, "", root, p), p.verifier))
	wantStatus(t, get(t, srv, "/us/api/app/me", bearer(rt.AccessToken)), http.StatusOK)
	wantAppError(t, get(t, srv, "/in/api/app/me", bearer(rt.AccessToken)), http.StatusUnauthorized)
}

func TestOAuthCodeExchangeFailures(t *testing.T) {
	srv := mptest.NewServer(t)
	client := register(t, srv, "")
	other := register(t, srv, "")
	p := newPKCE("right-")
	for _, tc := range []struct {
		name   string
		form   func(code string) url.Values
		status int
		err    string
	}{
		{"PKCE verifier mismatch", func(c string) url.Values {
			return url.Values{"grant_type": {"authorization_code"}, "code": {c}, "redirect_uri": {redirectURI}, "client_id": {client}, "code_verifier": {newPKCE("wrong-").verifier}}
		}, http.StatusBadRequest, "invalid_grant"},
		{"malformed verifier", func(c string) url.Values {
			return url.Values{"grant_type": {"authorization_code"}, "code": {c}, "redirect_uri": {redirectURI}, "client_id": {client}, "code_verifier": {"short"}}
		}, http.StatusBadRequest, "invalid_request"},
		{"redirect_uri mismatch", func(c string) url.Values {
			return url.Values{"grant_type": {"authorization_code"}, "code": {c}, "redirect_uri": {"http://localhost:19285/callback"}, "client_id": {client}, "code_verifier": {p.verifier}}
		}, http.StatusBadRequest, "invalid_grant"},
		{"another client", func(c string) url.Values {
			return url.Values{"grant_type": {"authorization_code"}, "code": {c}, "redirect_uri": {redirectURI}, "client_id": {other}, "code_verifier": {p.verifier}}
		}, http.StatusBadRequest, "invalid_grant"},
		{"unknown client", func(c string) url.Values {
			return url.Values{"grant_type": {"authorization_code"}, "code": {c}, "redirect_uri": {redirectURI}, "client_id": {"nobody"}, "code_verifier": {p.verifier}}
		}, http.StatusUnauthorized, "invalid_client"},
		{"unknown code", func(string) url.Values {
			return url.Values{"grant_type": {"authorization_code"}, "code": {"nope"}, "redirect_uri": {redirectURI}, "client_id": {client}, "code_verifier": {p.verifier}}
		}, http.StatusBadRequest, "invalid_grant"},
		{"missing verifier", func(c string) url.Values {
			return url.Values{"grant_type": {"authorization_code"}, "code": {c}, "redirect_uri": {redirectURI}, "client_id": {client}}
		}, http.StatusBadRequest, "invalid_request"},
		{"unsupported grant", func(string) url.Values { return url.Values{"grant_type": {"password"}} }, http.StatusBadRequest, "unsupported_grant_type"},
		{"no grant", func(string) url.Values { return url.Values{} }, http.StatusBadRequest, "invalid_request"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code := authorize(t, srv, "", client, p)
			wantOAuthError(t, postForm(t, srv, "/oauth/token/", tc.form(code)), tc.status, tc.err)
		})
	}
	t.Run("JSON body", func(t *testing.T) {
		a := send(t, http.DefaultClient, http.MethodPost, srv.URL()+"/oauth/token/", nil, "application/json", strings.NewReader(`{"grant_type":"refresh_token"}`))
		wantOAuthError(t, a, http.StatusBadRequest, "invalid_request")
	})
}

func TestOAuthCodesAreSingleUse(t *testing.T) {
	srv := mptest.NewServer(t)
	client := register(t, srv, "")
	p := newPKCE("once-")
	code := authorize(t, srv, "", client, p)
	first := decode[tokenAnswer](t, exchange(t, srv, "", client, code, p.verifier))
	wantOAuthError(t, exchange(t, srv, "", client, code, p.verifier), http.StatusBadRequest, "invalid_grant")
	// Replaying a code revokes what it issued.
	wantAppError(t, get(t, srv, "/api/app/me", bearer(first.AccessToken)), http.StatusUnauthorized)
	wantOAuthError(t, refresh(t, srv, "", client, first.RefreshToken), http.StatusBadRequest, "invalid_grant")
}

func TestOAuthRefreshRotates(t *testing.T) {
	srv := mptest.NewServer(t)
	client := register(t, srv, "/us")
	p := newPKCE("rot-")
	tok := decode[tokenAnswer](t, exchange(t, srv, "/us", client, authorize(t, srv, "/us", client, p), p.verifier))

	a := refresh(t, srv, "/us", client, tok.RefreshToken)
	wantStatus(t, a, http.StatusOK)
	next := decode[tokenAnswer](t, a)
	if next.RefreshToken == "" || next.RefreshToken == tok.RefreshToken || next.AccessToken == tok.AccessToken {
		t.Fatalf("refresh answer = %s, want a new access and a new refresh token", a.body)
	}
	wantStatus(t, get(t, srv, "/us/api/app/me", bearer(next.AccessToken)), http.StatusOK)
	wantOAuthError(t, refresh(t, srv, "/us", client, tok.RefreshToken), http.StatusBadRequest, "invalid_grant")
	wantStatus(t, refresh(t, srv, "/us", client, next.RefreshToken), http.StatusOK)
	wantOAuthError(t, refresh(t, srv, "/us", client, "never-issued"), http.StatusBadRequest, "invalid_grant")
	wantOAuthError(t, refresh(t, srv, "/us", register(t, srv, "/us"), next.RefreshToken), http.StatusBadRequest, "invalid_grant")
}

func TestOAuthRefreshIsRaceFree(t *testing.T) {
	srv := mptest.NewServer(t)
	tok, err := srv.IssueTokens(mptest.RegionUS, mptest.UserJo)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok := 0
	for range 8 {
		wg.Go(func() {
			req, _ := http.NewRequest(http.MethodPost, srv.URL()+"/oauth/token/", strings.NewReader(url.Values{
				"grant_type": {"refresh_token"}, "refresh_token": {tok.RefreshToken}, "client_id": {"any"},
			}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				mu.Lock()
				ok++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if ok != 1 {
		t.Fatalf("%d concurrent uses of one refresh token succeeded, want exactly 1", ok)
	}
}

func TestOAuthWithoutRotation(t *testing.T) {
	srv := mptest.NewServer(t, mptest.WithoutRefreshRotation())
	tok, err := srv.IssueTokens(mptest.RegionEU, mptest.UserSam)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		a := refresh(t, srv, "/eu", "any", tok.RefreshToken)
		wantStatus(t, a, http.StatusOK)
		if got := decode[tokenAnswer](t, a); got.RefreshToken != "" || got.AccessToken == "" {
			t.Fatalf("answer = %s, want an access token and no refresh token", a.body)
		}
	}
}

func TestOAuthAccessTokensExpire(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2026, 4, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	srv := mptest.NewServer(t, mptest.WithClock(clock), mptest.WithAccessTokenLifetime(90*time.Second+500*time.Millisecond))
	client := register(t, srv, "")
	p := newPKCE("exp-")
	a := exchange(t, srv, "", client, authorize(t, srv, "", client, p), p.verifier)
	tok := decode[tokenAnswer](t, a)
	if string(tok.ExpiresIn) != "90.5" {
		t.Fatalf("expires_in = %s, want 90.5", tok.ExpiresIn)
	}
	wantStatus(t, get(t, srv, "/api/app/me", bearer(tok.AccessToken)), http.StatusOK)
	advance(90 * time.Second)
	wantStatus(t, get(t, srv, "/api/app/me", bearer(tok.AccessToken)), http.StatusOK)
	advance(time.Second)
	wantAppError(t, get(t, srv, "/api/app/me", bearer(tok.AccessToken)), http.StatusUnauthorized)
	// The refresh token still works and brings a live access token.
	next := decode[tokenAnswer](t, refresh(t, srv, "", client, tok.RefreshToken))
	wantStatus(t, get(t, srv, "/api/app/me", bearer(next.AccessToken)), http.StatusOK)

	// Codes expire after ten minutes.
	code := authorize(t, srv, "", client, p)
	advance(11 * time.Minute)
	wantOAuthError(t, exchange(t, srv, "", client, code, p.verifier), http.StatusBadRequest, "invalid_grant")
}

func TestOAuthRevokeTokens(t *testing.T) {
	srv := mptest.NewServer(t)
	tok, err := srv.IssueTokens(mptest.RegionUS, mptest.UserJo)
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, get(t, srv, "/us/api/app/me", bearer(tok.AccessToken)), http.StatusOK)
	srv.RevokeTokens()
	wantAppError(t, get(t, srv, "/us/api/app/me", bearer(tok.AccessToken)), http.StatusUnauthorized)
	wantOAuthError(t, refresh(t, srv, "/us", "any", tok.RefreshToken), http.StatusBadRequest, "invalid_grant")
	if _, err := srv.IssueTokens("mars", mptest.UserJo); err == nil {
		t.Error("IssueTokens accepted an unknown region")
	}
	if _, err := srv.IssueTokens(mptest.RegionUS, 1); err == nil {
		t.Error("IssueTokens accepted an unknown user")
	}
}

func TestOAuthRegistrationValidates(t *testing.T) {
	srv := mptest.NewServer(t)
	for _, tc := range []struct{ name, body, err string }{
		{"not JSON", `redirect_uris=x`, "invalid_client_metadata"},
		{"no redirect URIs", `{"redirect_uris":[]}`, "invalid_redirect_uri"},
		{"relative URI", `{"redirect_uris":["/callback"]}`, "invalid_redirect_uri"},
		{"plain http to a remote host", `{"redirect_uris":["http://example.com/callback"]}`, "invalid_redirect_uri"},
		{"other scheme", `{"redirect_uris":["ftp://localhost/callback"]}`, "invalid_redirect_uri"},
		{"fragment", `{"redirect_uris":["http://localhost:1/cb#x"]}`, "invalid_redirect_uri"},
		{"confidential client", `{"redirect_uris":["http://localhost:1/cb"],"token_endpoint_auth_method":"client_secret_basic"}`, "invalid_client_metadata"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := send(t, http.DefaultClient, http.MethodPost, srv.URL()+"/oauth/mcp/register/", nil, "application/json", strings.NewReader(tc.body))
			wantOAuthError(t, a, http.StatusBadRequest, tc.err)
		})
	}
	for _, uri := range []string{"http://127.0.0.1:19284/callback", "http://[::1]:19284/callback", "https://example.com/cb"} {
		a := send(t, http.DefaultClient, http.MethodPost, srv.URL()+"/oauth/mcp/register/", nil, "application/json", strings.NewReader(`{"redirect_uris":["`+uri+`"]}`))
		wantStatus(t, a, http.StatusCreated)
	}
}

func TestOAuthAuthorizeErrors(t *testing.T) {
	srv := mptest.NewServer(t)
	client := register(t, srv, "")
	p := newPKCE("err-")
	for _, tc := range []struct {
		name   string
		change []string
		err    string // "" = 400 page, no redirect
	}{
		{"unknown client", []string{"client_id", "nobody"}, ""},
		{"unregistered redirect_uri", []string{"redirect_uri", "http://localhost:1/evil"}, ""},
		{"no redirect_uri", []string{"redirect_uri", ""}, ""},
		{"response_type token", []string{"response_type", "token"}, "unsupported_response_type"},
		{"no code_challenge", []string{"code_challenge", ""}, "invalid_request"},
		{"plain challenge method", []string{"code_challenge_method", "plain"}, "invalid_request"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := send(t, noRedirect(), http.MethodGet, authorizeURL(srv, "", client, "s1", p, tc.change...), nil, "", nil)
			if tc.err == "" {
				wantStatus(t, a, http.StatusBadRequest)
				if a.header.Get("Location") != "" {
					t.Fatalf("redirected to %q, want an error page", a.header.Get("Location"))
				}
				return
			}
			q := redirected(t, a)
			if q.Get("error") != tc.err || q.Get("state") != "s1" || q.Get("code") != "" {
				t.Fatalf("redirect query = %v, want error=%s and state=s1", q, tc.err)
			}
		})
	}
}

var (
	formAction = regexp.MustCompile(`<form method="post" action="([^"]+)">`)
	requestID  = regexp.MustCompile(`name="request_id" value="([^"]+)"`)
)

// consent fetches the consent page and returns the form's action path and
// request id.
func consent(t *testing.T, srv *mptest.Server, prefix, client string, p pkce) (action, id string) {
	t.Helper()
	a := send(t, noRedirect(), http.MethodGet, authorizeURL(srv, prefix, client, "csrf-1", p), nil, "", nil)
	wantStatus(t, a, http.StatusOK)
	page := string(a.body)
	if !strings.HasPrefix(a.header.Get("Content-Type"), "text/html") {
		t.Fatalf("Content-Type = %q, want text/html", a.header.Get("Content-Type"))
	}
	for _, want := range []string{`<button type="submit" name="decision" value="allow"`, ">Allow</button>", ">Deny</button>"} {
		if !strings.Contains(page, want) {
			t.Fatalf("consent page lacks %q:\n%s", want, page)
		}
	}
	m, n := formAction.FindStringSubmatch(page), requestID.FindStringSubmatch(page)
	if m == nil || n == nil {
		t.Fatalf("consent page has no form with a request_id:\n%s", page)
	}
	return html.UnescapeString(m[1]), html.UnescapeString(n[1])
}

func TestOAuthConsentPage(t *testing.T) {
	srv := mptest.NewServer(t, mptest.WithAuthorizeMode(mptest.ConsentPage))
	client := register(t, srv, "/eu")
	p := newPKCE("consent-")

	action, id := consent(t, srv, "/eu", client, p)
	if action != "/eu/oauth/authorize/" {
		t.Fatalf("form action = %q, want /eu/oauth/authorize/", action)
	}
	q := redirected(t, postForm(t, srv, action, url.Values{"request_id": {id}, "decision": {"allow"}}))
	if q.Get("code") == "" || q.Get("state") != "csrf-1" {
		t.Fatalf("Allow redirected with %v, want code and state", q)
	}
	wantStatus(t, exchange(t, srv, "/eu", client, q.Get("code"), p.verifier), http.StatusOK)
	// A consent form is single-use.
	a := postForm(t, srv, action, url.Values{"request_id": {id}, "decision": {"allow"}})
	wantStatus(t, a, http.StatusBadRequest)

	_, id = consent(t, srv, "/eu", client, p)
	q = redirected(t, postForm(t, srv, action, url.Values{"request_id": {id}, "decision": {"deny"}}))
	if q.Get("error") != "access_denied" || q.Get("state") != "csrf-1" || q.Get("code") != "" {
		t.Fatalf("Deny redirected with %v, want error=access_denied and state", q)
	}
}

func TestOAuthAutoDeny(t *testing.T) {
	srv := mptest.NewServer(t, mptest.WithAuthorizeMode(mptest.AutoDeny))
	client := register(t, srv, "")
	q := redirected(t, send(t, noRedirect(), http.MethodGet, authorizeURL(srv, "", client, "s", newPKCE("deny-")), nil, "", nil))
	if q.Get("error") != "access_denied" || q.Get("code") != "" {
		t.Fatalf("redirect query = %v, want error=access_denied", q)
	}
}
