package oauthflow_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mpdata/mp/adapters/oauthflow"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/mptest"
	"github.com/mpdata/mp/ports"
)

func TestLoginAutoApprove(t *testing.T) {
	fx := newFixture(t)
	ev := newEvents()
	tokens, err := fx.flow().Login(context.Background(), ports.LoginRequest{Region: domain.RegionEU, Notify: ev.notify})
	if err != nil {
		t.Fatalf("Login: %v", err)
	}

	// The tokens work, carry the client and expire an hour after the clock.
	if !bearerWorks(t, fx.srv, "eu", tokens.AccessToken) {
		t.Fatal("the access token is not accepted by /me in eu")
	}
	client, ok, _ := fx.clients.Get(context.Background(), domain.RegionEU)
	if !ok {
		t.Fatal("the registered client was not cached")
	}
	switch {
	case tokens.ClientID != client.ClientID:
		t.Errorf("ClientID = %q; want the registered client %q", tokens.ClientID, client.ClientID)
	case tokens.RefreshToken.IsZero():
		t.Error("no refresh token")
	case !tokens.ExpiresAt.Equal(now.Add(time.Hour)):
		t.Errorf("ExpiresAt = %v; want %v (clock + expires_in)", tokens.ExpiresAt, now.Add(time.Hour))
	case tokens.TokenType != "Bearer":
		t.Errorf("TokenType = %q", tokens.TokenType)
	case tokens.Scope != domain.OAuthScope:
		t.Errorf("Scope = %q; want the answer's scope", tokens.Scope)
	}

	// Events, in order; the URL is the authorize URL without a scope.
	if got, want := ev.kinds(), []ports.LoginEventKind{ports.LoginURL, ports.LoginWaiting, ports.LoginCode}; !slices.Equal(got, want) {
		t.Fatalf("events = %v; want %v", got, want)
	}
	urlEv, _ := ev.first(ports.LoginURL)
	if !urlEv.BrowserOpened || urlEv.BrowserError != "" || urlEv.Headless {
		t.Errorf("LoginURL event = %+v; want BrowserOpened, no error, not headless", urlEv)
	}
	au, err := url.Parse(urlEv.URL)
	if err != nil {
		t.Fatal(err)
	}
	if au.Path != "/eu/oauth/authorize/" {
		t.Errorf("authorize path = %s; want /eu/oauth/authorize/", au.Path)
	}
	q := au.Query()
	keys := slices.Sorted(func(yield func(string) bool) {
		for k := range q {
			if !yield(k) {
				return
			}
		}
	})
	if want := []string{"client_id", "code_challenge", "code_challenge_method", "redirect_uri", "response_type", "state"}; !slices.Equal(keys, want) {
		t.Errorf("authorize parameters = %v; want exactly %v (no scope)", keys, want)
	}
	if q.Get("code_challenge_method") != "S256" || q.Get("response_type") != "code" || q.Get("client_id") != client.ClientID {
		t.Errorf("authorize parameters %v", q)
	}
	if st, err := base64.RawURLEncoding.DecodeString(q.Get("state")); err != nil || len(st) != 32 {
		t.Errorf("state %d bytes (err %v); want 32 random bytes, base64url", len(st), err)
	}
	redirect := q.Get("redirect_uri")
	if !strings.HasPrefix(redirect, "http://localhost:") || !strings.HasSuffix(redirect, "/callback") || client.RedirectURI != redirect {
		t.Errorf("redirect_uri = %q (cached %q); want http://localhost:<port>/callback", redirect, client.RedirectURI)
	}

	// The exchange: the form x/oauth2 sent, and PKCE the sandbox verified.
	form := fx.rec.last(t, "/oauth/token/").form(t)
	formKeys := slices.Sorted(func(yield func(string) bool) {
		for k := range form {
			if !yield(k) {
				return
			}
		}
	})
	if want := []string{"client_id", "code", "code_verifier", "grant_type", "redirect_uri"}; !slices.Equal(formKeys, want) {
		t.Fatalf("token form keys = %v; want exactly %v", formKeys, want)
	}
	if form.Get("grant_type") != "authorization_code" || form.Get("client_id") != client.ClientID || form.Get("redirect_uri") != redirect {
		t.Errorf("token form = grant_type %q client_id %q redirect_uri %q", form.Get("grant_type"), form.Get("client_id"), form.Get("redirect_uri"))
	}
	if v := form.Get("code_verifier"); s256(v) != q.Get("code_challenge") || len(v) < 43 {
		t.Error("code_challenge is not the S256 of the code_verifier")
	}
	if ua := fx.rec.last(t, "/oauth/token/").header.Get("User-Agent"); ua != "mp/test (lib)" {
		t.Errorf("token request User-Agent = %q", ua)
	}

	// The registration body, exactly as mixpanel-api.md says.
	reg := fx.rec.last(t, "/oauth/mcp/register/")
	var body map[string]any
	if err := json.Unmarshal(reg.body, &body); err != nil {
		t.Fatalf("registration body: %v", err)
	}
	want := map[string]any{
		"redirect_uris":              []any{redirect},
		"grant_types":                []any{"authorization_code", "refresh_token"},
		"response_types":             []any{"code"},
		"token_endpoint_auth_method": "none",
		"scope":                      domain.OAuthScope,
	}
	if !reflect.DeepEqual(body, want) {
		t.Errorf("registration body = %v; want %v", body, want)
	}
	if ct := reg.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("registration Content-Type = %q", ct)
	}

	// The browser landed on the success page; the favicon probe got 404.
	calls, status, page, favicon, berr := fx.browser.result()
	if calls != 1 || berr != nil || status != http.StatusOK || !strings.Contains(page, "close this tab") {
		t.Errorf("browser: %d opens, status %d, err %v, page %q; want one open ending on the success page", calls, status, berr, page)
	}
	if favicon != http.StatusNotFound {
		t.Errorf("/favicon.ico answered %d; want 404", favicon)
	}
	if n := fx.srv.Count(mptest.RouteToken); n != 1 {
		t.Errorf("token endpoint calls = %d; want 1", n)
	}
	// The callback server is gone.
	if _, err := http.Get(strings.TrimSuffix(redirect, "/callback") + "/callback"); err == nil {
		t.Error("the callback server still answers after Login returned")
	}
}

func TestLoginReusesCachedClientPerRegionAndRedirect(t *testing.T) {
	fx := newFixture(t)
	port := freePort(t)
	fx.opts.Ports = []int{port}
	ctx := context.Background()
	for i := range 2 {
		if _, err := fx.flow().Login(ctx, ports.LoginRequest{Region: domain.RegionUS}); err != nil {
			t.Fatalf("Login #%d: %v", i+1, err)
		}
	}
	if n := fx.srv.Count(mptest.RouteRegister); n != 1 {
		t.Fatalf("registrations after two logins on one port = %d; want 1 (the cached client reused)", n)
	}
	first, _, _ := fx.clients.Get(ctx, domain.RegionUS)

	// Another region registers its own client.
	if _, err := fx.flow().Login(ctx, ports.LoginRequest{Region: domain.RegionIN}); err != nil {
		t.Fatal(err)
	}
	if n := fx.srv.Count(mptest.RouteRegister); n != 2 {
		t.Fatalf("registrations after a login in another region = %d; want 2", n)
	}

	// Another port (another redirect URI) registers again and replaces
	// the cached client.
	other := freePort(t)
	for other == port {
		other = freePort(t)
	}
	fx.opts.Ports = []int{other}
	tokens, err := fx.flow().Login(ctx, ports.LoginRequest{Region: domain.RegionUS})
	if err != nil {
		t.Fatal(err)
	}
	if n := fx.srv.Count(mptest.RouteRegister); n != 3 {
		t.Fatalf("registrations after a login on another port = %d; want 3", n)
	}
	second, _, _ := fx.clients.Get(ctx, domain.RegionUS)
	if second.ClientID == first.ClientID || second.RedirectURI != "http://localhost:"+strconv.Itoa(other)+"/callback" || tokens.ClientID != second.ClientID {
		t.Fatalf("cached client after the redirect changed = %+v (tokens' client %q); want a new client for port %d", second, tokens.ClientID, other)
	}
	if !second.CreatedAt.Equal(now) || second.Region != domain.RegionUS || second.Scope != domain.OAuthScope {
		t.Fatalf("cached client = %+v; want created_at from the clock, region us, mp's scope", second)
	}
}

func TestLoginWithoutClientCacheRegistersEachTime(t *testing.T) {
	fx := newFixture(t)
	fx.opts.Clients = nil
	fx.opts.Ports = []int{freePort(t)}
	for range 2 {
		if _, err := fx.flow().Login(context.Background(), ports.LoginRequest{Region: domain.RegionUS}); err != nil {
			t.Fatal(err)
		}
	}
	if n := fx.srv.Count(mptest.RouteRegister); n != 2 {
		t.Fatalf("registrations = %d; want 2", n)
	}
}

func TestLoginAutoDeny(t *testing.T) {
	fx := newFixture(t, mptest.WithAuthorizeMode(mptest.AutoDeny))
	_, err := fx.flow().Login(context.Background(), ports.LoginRequest{Region: domain.RegionUS})
	de := codeOf(t, err, domain.CodeOAuthAuthDenied)
	if !strings.Contains(de.Message, "access_denied") || !strings.Contains(de.Message, "The user denied access") {
		t.Fatalf("message %q does not carry the provider's error", de.Message)
	}
	if n := fx.srv.Count(mptest.RouteToken); n != 0 {
		t.Fatalf("token endpoint called %d times after a denial", n)
	}
	_, status, page, _, _ := fx.browser.result()
	if status != http.StatusForbidden || !strings.Contains(page, "Login denied") {
		t.Fatalf("denial page: %d %q", status, page)
	}
}

func TestLoginRegistrationFailures(t *testing.T) {
	cases := []struct {
		name      string
		fault     mptest.Fault
		retryable bool
	}{
		{"server error", mptest.ServerError(500), true},
		{"rate limited", mptest.RateLimit(30), true},
		{"refused", mptest.Body(400, "application/json", `{"error": "invalid_redirect_uri", "error_description": "nope\u001b[2J"}`), false},
		{"no client id", mptest.Body(201, "application/json", `{"client_name": "x"}`), false},
		{"not json", mptest.Body(200, "text/html", `<html>`), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fx := newFixture(t)
			fx.srv.Inject(mptest.RouteRegister, tc.fault)
			_, err := fx.flow().Login(context.Background(), ports.LoginRequest{Region: domain.RegionUS})
			de := codeOf(t, err, domain.CodeOAuthRegistrationError)
			if got := de.Details["retryable"] == true; got != tc.retryable {
				t.Fatalf("retryable = %t; want %t (%v)", got, tc.retryable, err)
			}
			if strings.ContainsRune(de.Message, '\x1b') {
				t.Fatalf("message carries a terminal escape: %q", de.Message)
			}
			if _, ok, _ := fx.clients.Get(context.Background(), domain.RegionUS); ok {
				t.Fatal("a failed registration was cached")
			}
			if calls, _, _, _, _ := fx.browser.result(); calls != 0 {
				t.Fatal("the browser was opened although registration failed")
			}
		})
	}
}

func TestLoginAllPortsBusy(t *testing.T) {
	fx := newFixture(t)
	var busy []int
	for range 4 {
		l, err := net.Listen("tcp4", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = l.Close() })
		busy = append(busy, l.Addr().(*net.TCPAddr).Port)
	}
	fx.opts.Ports = busy
	_, err := fx.flow().Login(context.Background(), ports.LoginRequest{Region: domain.RegionUS})
	de := codeOf(t, err, domain.CodeOAuthPortError)
	for _, p := range busy {
		if !strings.Contains(de.Message, strconv.Itoa(p)) {
			t.Fatalf("message %q does not list port %d", de.Message, p)
		}
	}
	if de.Hint == "" {
		t.Fatal("no hint")
	}
	if n := fx.srv.Count(mptest.RouteRegister); n != 0 {
		t.Fatal("registered a client without a callback port")
	}
}

func TestLoginSkipsBusyPort(t *testing.T) {
	fx := newFixture(t)
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = l.Close() }()
	busy := l.Addr().(*net.TCPAddr).Port
	free := freePort(t)
	fx.opts.Ports = []int{busy, free}
	if _, err := fx.flow().Login(context.Background(), ports.LoginRequest{Region: domain.RegionUS}); err != nil {
		t.Fatal(err)
	}
	c, _, _ := fx.clients.Get(context.Background(), domain.RegionUS)
	if c.RedirectURI != "http://localhost:"+strconv.Itoa(free)+"/callback" {
		t.Fatalf("redirect URI %q; want the second port %d", c.RedirectURI, free)
	}
}

func TestLoginTimeout(t *testing.T) {
	fx := newFixture(t)
	fx.opts.Timeout = 200 * time.Millisecond
	ev := newEvents()
	_, err := fx.flow().Login(context.Background(), ports.LoginRequest{Region: domain.RegionUS, NoBrowser: true, Notify: ev.notify})
	de := codeOf(t, err, domain.CodeOAuthTimeout)
	if de.Hint == "" || !strings.Contains(de.Message, "200ms") {
		t.Fatalf("timeout error %q (hint %q)", de.Message, de.Hint)
	}
	urlEv, _ := ev.first(ports.LoginURL)
	if urlEv.BrowserOpened || urlEv.URL == "" {
		t.Fatalf("LoginURL with NoBrowser = %+v; want the URL and no browser", urlEv)
	}
	if calls, _, _, _, _ := fx.browser.result(); calls != 0 {
		t.Fatal("the browser was opened with NoBrowser")
	}
}

func TestLoginBrowserFailureIsReported(t *testing.T) {
	fx := newFixture(t)
	fx.opts.Browser = failingBrowser{}
	fx.opts.Timeout = 200 * time.Millisecond
	fx.opts.Headless = func() bool { return true }
	ev := newEvents()
	_, err := fx.flow().Login(context.Background(), ports.LoginRequest{Region: domain.RegionUS, Notify: ev.notify})
	codeOf(t, err, domain.CodeOAuthTimeout)
	urlEv, _ := ev.first(ports.LoginURL)
	if urlEv.BrowserOpened || !strings.Contains(urlEv.BrowserError, "no display") || !urlEv.Headless {
		t.Fatalf("LoginURL = %+v; want BrowserOpened false with the browser's error, Headless", urlEv)
	}
}

func TestLoginNoBrowserConfigured(t *testing.T) {
	fx := newFixture(t)
	fx.opts.Browser = nil
	fx.opts.Timeout = 100 * time.Millisecond
	ev := newEvents()
	_, err := fx.flow().Login(context.Background(), ports.LoginRequest{Region: domain.RegionUS, Notify: ev.notify})
	codeOf(t, err, domain.CodeOAuthTimeout)
	if urlEv, _ := ev.first(ports.LoginURL); urlEv.BrowserOpened || urlEv.BrowserError == "" {
		t.Fatalf("LoginURL = %+v; want no browser and why", urlEv)
	}
}

func TestLoginCancelled(t *testing.T) {
	fx := newFixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	ev := newEvents()
	res := login(ctx, fx.flow(), ports.LoginRequest{Region: domain.RegionUS, NoBrowser: true, Notify: ev.notify})
	<-ev.url
	cancel()
	r := await(t, res)
	if !errors.Is(r.err, context.Canceled) {
		t.Fatalf("Login after cancel: %v; want context.Canceled", r.err)
	}
}

// approveWithoutRedirect plays the user of --no-browser: it opens the
// authorize URL elsewhere (no redirect followed) and returns where the
// browser would land.
func approveWithoutRedirect(t *testing.T, authURL string) string {
	t.Helper()
	client := &http.Client{
		Timeout:       20 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	resp, err := client.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("authorize answered %d; want a redirect", resp.StatusCode)
	}
	return resp.Header.Get("Location")
}

func TestLoginPasteWins(t *testing.T) {
	for _, form := range []string{"full URL", "query only", "quoted with junk first"} {
		t.Run(form, func(t *testing.T) {
			fx := newFixture(t)
			pr, pw := io.Pipe()
			defer func() { _ = pw.Close() }()
			ev := newEvents()
			res := login(context.Background(), fx.flow(), ports.LoginRequest{Region: domain.RegionUS, NoBrowser: true, Paste: pr, Notify: ev.notify})
			location := approveWithoutRedirect(t, <-ev.url)
			lu, _ := url.Parse(location)
			var text string
			switch form {
			case "full URL":
				text = location + "\n"
			case "query only":
				text = lu.RawQuery + "\n"
			default:
				text = "\n   \nnot a url\ncode=only\n'" + location + "'\n"
			}
			go func() { _, _ = io.WriteString(pw, text) }()
			r := await(t, res)
			if r.err != nil {
				t.Fatalf("Login with a pasted redirect: %v", r.err)
			}
			if !bearerWorks(t, fx.srv, "us", r.tokens.AccessToken) {
				t.Fatal("the pasted login's token does not work")
			}
		})
	}
}

func TestLoginCallbackWinsOverSilentPaste(t *testing.T) {
	fx := newFixture(t)
	pr, pw := io.Pipe() // nothing is ever pasted
	defer func() { _ = pw.Close() }()
	ev := newEvents()
	res := login(context.Background(), fx.flow(), ports.LoginRequest{Region: domain.RegionUS, NoBrowser: true, Paste: pr, Notify: ev.notify})
	if err := fx.browser.Open(<-ev.url); err != nil { // the user opens the URL by hand
		t.Fatal(err)
	}
	if r := await(t, res); r.err != nil {
		t.Fatalf("Login: %v", r.err)
	}
}

func TestLoginEmptyPasteKeepsWaitingForCallback(t *testing.T) {
	fx := newFixture(t)
	ev := newEvents()
	res := login(context.Background(), fx.flow(), ports.LoginRequest{Region: domain.RegionUS, NoBrowser: true, Paste: strings.NewReader(""), Notify: ev.notify})
	authURL := <-ev.url
	time.Sleep(50 * time.Millisecond) // the paste reader has seen EOF by now
	if err := fx.browser.Open(authURL); err != nil {
		t.Fatal(err)
	}
	if r := await(t, res); r.err != nil {
		t.Fatalf("Login: %v", r.err)
	}
}

func TestLoginPasteErrors(t *testing.T) {
	cases := []struct {
		name  string
		paste func(location string) string
		want  domain.Code
	}{
		{"garbage then EOF", func(string) string { return "hello\nhttp://localhost/callback?code=x\n" }, domain.CodeOAuthPasteError},
		{"another state", func(location string) string {
			u, _ := url.Parse(location)
			q := u.Query()
			q.Set("state", "forged-state-value")
			u.RawQuery = q.Encode()
			return u.String() + "\n"
		}, domain.CodeOAuthStateMismatch},
		{"denied", func(string) string { return "error=access_denied&error_description=no\n" }, domain.CodeOAuthAuthDenied},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fx := newFixture(t)
			pr, pw := io.Pipe()
			ev := newEvents()
			res := login(context.Background(), fx.flow(), ports.LoginRequest{Region: domain.RegionUS, NoBrowser: true, Paste: pr, Notify: ev.notify})
			location := approveWithoutRedirect(t, <-ev.url)
			go func() {
				_, _ = io.WriteString(pw, tc.paste(location))
				_ = pw.Close()
			}()
			r := await(t, res)
			de := codeOf(t, r.err, tc.want)
			u, _ := url.Parse(location)
			assertNoSecrets(t, de, u.Query().Get("code"), u.Query().Get("state"), "forged-state-value")
			if n := fx.srv.Count(mptest.RouteToken); n != 0 {
				t.Fatalf("the code was exchanged (%d token calls)", n)
			}
		})
	}
}

// Over real sockets: callbacks that any local process or web page can
// send — a denial without state, a code with a wrong state, the right
// state under a rebound host name — are answered (400, 400, 421) and
// ignored; the real callback that follows completes the login.
func TestLoginIgnoresForgedCallbacks(t *testing.T) {
	fx := newFixture(t)
	fx.opts.Browser = nil
	ev := newEvents()
	res := login(context.Background(), fx.flow(), ports.LoginRequest{Region: domain.RegionUS, Notify: ev.notify})
	authURL := <-ev.url
	au, _ := url.Parse(authURL)
	state := au.Query().Get("state")
	redirect := au.Query().Get("redirect_uri")
	ru, _ := url.Parse(redirect)
	send := func(target, host string) int {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, target, nil)
		if err != nil {
			t.Fatal(err)
		}
		if host != "" {
			req.Host = host
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if strings.Contains(string(page), state) {
			t.Fatalf("%s: the page echoes the state", target)
		}
		return resp.StatusCode
	}
	if got := send(redirect+"?error=access_denied", ""); got != http.StatusBadRequest {
		t.Fatalf("denial without state: %d; want 400", got)
	}
	if got := send(redirect+"?code=abc&state=not-the-state", ""); got != http.StatusBadRequest {
		t.Fatalf("wrong state: %d; want 400", got)
	}
	if got := send(redirect+"?code=abc&state="+url.QueryEscape(state), "rebound.example:"+ru.Port()); got != http.StatusMisdirectedRequest {
		t.Fatalf("rebound host: %d; want 421", got)
	}
	location := approveWithoutRedirect(t, authURL)
	if got := send(location, ""); got != http.StatusOK {
		t.Fatalf("the real callback: %d; want 200", got)
	}
	r := await(t, res)
	if r.err != nil || r.tokens.AccessToken.IsZero() {
		t.Fatalf("login after forged callbacks: %v", r.err)
	}
}

func TestLoginInvalidInput(t *testing.T) {
	fx := newFixture(t)
	if _, err := fx.flow().Login(context.Background(), ports.LoginRequest{Region: "mars"}); !errors.Is(err, domain.CodeInvalidArgument) {
		t.Fatalf("Login in region mars: %v; want INVALID_ARGUMENT", err)
	}
	fx.opts.BaseURL = "ftp://example.com"
	if _, err := fx.flow().Login(context.Background(), ports.LoginRequest{Region: domain.RegionUS}); !errors.Is(err, domain.CodeConfigError) {
		t.Fatalf("Login with a bad base URL: %v; want CONFIG_ERROR", err)
	}
}

func TestDetectHeadless(t *testing.T) {
	cases := []struct {
		env  map[string]string
		goos string
		want bool
	}{
		{map[string]string{}, "linux", true},
		{map[string]string{"DISPLAY": ":0"}, "linux", false},
		{map[string]string{"WAYLAND_DISPLAY": "wayland-0"}, "linux", false},
		{map[string]string{"DISPLAY": ":0", "SSH_CONNECTION": "1.2.3.4 5 6.7.8.9 22"}, "linux", true},
		{map[string]string{}, "darwin", false},
		{map[string]string{"SSH_CONNECTION": "x"}, "darwin", true},
		{map[string]string{}, "windows", false},
	}
	for _, tc := range cases {
		got := oauthflow.DetectHeadless(func(k string) string { return tc.env[k] }, tc.goos)
		if got != tc.want {
			t.Errorf("DetectHeadless(%v, %s) = %t; want %t", tc.env, tc.goos, got, tc.want)
		}
	}
}

// ipv6Loopback reports whether [::1] can be listened on here.
func ipv6Loopback() bool {
	l, err := net.Listen("tcp6", "[::1]:0")
	if err != nil {
		return false
	}
	_ = l.Close()
	return true
}

func TestCallbackListensOnBothLoopbacks(t *testing.T) {
	fx := newFixture(t)
	fx.opts.Timeout = 5 * time.Second
	ev := newEvents()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	res := login(ctx, fx.flow(), ports.LoginRequest{Region: domain.RegionUS, NoBrowser: true, Notify: ev.notify})
	au, _ := url.Parse(<-ev.url)
	ru, _ := url.Parse(au.Query().Get("redirect_uri"))
	port := ru.Port()
	hosts := []string{"127.0.0.1"}
	if ipv6Loopback() {
		hosts = append(hosts, "[::1]")
	} else {
		t.Log("no IPv6 loopback here: only 127.0.0.1 is checked")
	}
	for _, h := range hosts {
		resp, err := http.Get("http://" + h + ":" + port + "/favicon.ico")
		if err != nil {
			t.Fatalf("the callback server does not answer on %s: %v", h, err)
		}
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Fatalf("%s /favicon.ico: %d; want 404", h, resp.StatusCode)
		}
	}
	cancel()
	if r := await(t, res); !errors.Is(r.err, context.Canceled) {
		t.Fatalf("Login: %v", r.err)
	}
}

func TestLoginSkipsPortTakenOnIPv6(t *testing.T) {
	if !ipv6Loopback() {
		t.Skip("no IPv6 loopback on this host")
	}
	fx := newFixture(t)
	l6, err := net.Listen("tcp6", "[::1]:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = l6.Close() }()
	taken := l6.Addr().(*net.TCPAddr).Port
	free := freePort(t)
	fx.opts.Ports = []int{taken, free}
	if _, err := fx.flow().Login(context.Background(), ports.LoginRequest{Region: domain.RegionUS}); err != nil {
		t.Fatal(err)
	}
	c, _, _ := fx.clients.Get(context.Background(), domain.RegionUS)
	if c.RedirectURI != "http://localhost:"+strconv.Itoa(free)+"/callback" {
		t.Fatalf("redirect URI %q; want port %d (port %d is taken on [::1])", c.RedirectURI, free, taken)
	}
}
