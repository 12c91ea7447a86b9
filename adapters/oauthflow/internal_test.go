package oauthflow

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode"

	"go.uber.org/zap"

	"github.com/mpdata/mp/domain"
)

// expectedState is the handler's state in these tests.
const expectedState = "EXPECTED-state-Qk3vZ9"

func newHandler() *callbackHandler {
	return &callbackHandler{state: expectedState, port: 19284, won: newRace(), log: zap.NewNop()}
}

// get sends a GET to the handler.
func get(h http.Handler, target string) *httptest.ResponseRecorder {
	return do(h, http.MethodGet, target)
}

func do(h http.Handler, method, target string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, "http://localhost:19284"+target, nil))
	return rec
}

// delivered returns the outcome delivered so far, if any.
func delivered(r *race) (outcome, bool) {
	select {
	case o := <-r.ch:
		return o, true
	default:
		return outcome{}, false
	}
}

func TestCallbackSuccess(t *testing.T) {
	h := newHandler()
	rec := get(h, "/callback?code=the-code&state="+expectedState)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "You can close this tab") {
		t.Fatalf("success page: %d %q", rec.Code, rec.Body.String())
	}
	for k, v := range map[string]string{"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "Content-Type": "text/html; charset=utf-8"} {
		if got := rec.Header().Get(k); got != v {
			t.Errorf("%s = %q; want %q", k, got, v)
		}
	}
	o, ok := delivered(h.won)
	if !ok || o.err != nil || o.code != "the-code" {
		t.Fatalf("outcome = %+v, %t; want the code", o, ok)
	}
	// A second callback does not deliver again.
	rec = get(h, "/callback?code=other&state="+expectedState)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "already finished") {
		t.Fatalf("second callback: %d %q", rec.Code, rec.Body.String())
	}
	if _, ok := delivered(h.won); ok {
		t.Fatal("a second callback delivered a second outcome")
	}
}

func TestCallbackDeniedEscapesProviderText(t *testing.T) {
	h := newHandler()
	desc := `<script>alert("x")</script> & "quotes"` + "\x1b[31mred\x07"
	rec := get(h, "/callback?error=access_denied&error_description="+url.QueryEscape(desc)+"&state="+expectedState)
	body := rec.Body.String()
	if rec.Code != http.StatusForbidden {
		t.Fatalf("status %d; want 403", rec.Code)
	}
	if strings.Contains(body, "<script>") || !strings.Contains(body, "&lt;script&gt;") || !strings.Contains(body, "access_denied") {
		t.Fatalf("provider text not escaped on the page:\n%s", body)
	}
	o, ok := delivered(h.won)
	if !ok {
		t.Fatal("error= did not end the login")
	}
	var de *domain.Error
	if !errors.As(o.err, &de) || de.Code != domain.CodeOAuthAuthDenied {
		t.Fatalf("outcome error %v; want OAUTH_AUTH_DENIED", o.err)
	}
	for _, r := range de.Message {
		if !unicode.IsPrint(r) {
			t.Fatalf("message carries a control character %q: %q", r, de.Message)
		}
	}
	if !strings.Contains(de.Message, "access_denied") || !strings.Contains(de.Message, "red") {
		t.Fatalf("message %q lacks the provider's text", de.Message)
	}
	if strings.Contains(body, expectedState) || strings.Contains(de.Error(), expectedState) {
		t.Fatal("the state is echoed")
	}
}

// A callback whose state is missing or wrong — which any local process or
// any web page (an <img src=…>) can send — is answered 400 and ignored,
// whether it carries a code or an error; the real callback that follows
// still ends the login.
func TestCallbackWithoutTheStateIsIgnored(t *testing.T) {
	for _, forged := range []string{
		"/callback?error=access_denied",
		"/callback?error=server_error&state=",
		"/callback?error=access_denied&state=someone-else",
		"/callback?code=abc",
		"/callback?code=abc&state=someone-else",
		"/callback?code=abc&state=" + strings.ToLower(expectedState),
		"/callback?code=abc&state=" + expectedState + "x",
	} {
		t.Run(forged, func(t *testing.T) {
			for _, real := range []struct {
				target string
				code   string
				err    domain.Code
			}{
				{"/callback?code=real&state=" + expectedState, "real", ""},
				{"/callback?error=access_denied&state=" + expectedState, "", domain.CodeOAuthAuthDenied},
			} {
				h := newHandler()
				rec := get(h, forged)
				if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "still waiting") {
					t.Fatalf("%d %q; want 400 saying mp still waits", rec.Code, rec.Body.String())
				}
				if strings.Contains(strings.ToLower(rec.Body.String()), strings.ToLower(expectedState)) {
					t.Fatal("the page echoes the state")
				}
				if o, ok := delivered(h.won); ok {
					t.Fatalf("the forged callback ended the login: %+v", o)
				}
				if h.ignored.Load() != 1 {
					t.Fatalf("ignored = %d", h.ignored.Load())
				}
				get(h, real.target)
				o, ok := delivered(h.won)
				switch {
				case !ok:
					t.Fatalf("the real callback %s did not end the login", real.target)
				case real.err != "" && !errors.Is(o.err, real.err):
					t.Fatalf("outcome %+v; want %s", o, real.err)
				case real.err == "" && (o.err != nil || o.code != real.code):
					t.Fatalf("outcome %+v; want code %q", o, real.code)
				}
			}
		})
	}
}

// Only a Host naming the callback itself (127.0.0.1, [::1] or localhost
// with the callback port) is served: a page of another site re-pointed at
// 127.0.0.1 (DNS rebinding) gets 421 even with the right state, and the
// login goes on.
func TestCallbackHostIsChecked(t *testing.T) {
	good := []string{"localhost:19284", "127.0.0.1:19284", "[::1]:19284", "LOCALHOST:19284"}
	bad := []string{"evil.example:19284", "localhost", "127.0.0.1", "localhost:19285", "127.0.0.2:19284", "[::1]", "localhost.:19284", "", "0.0.0.0:19284"}
	for _, host := range bad {
		h := newHandler()
		req := httptest.NewRequest(http.MethodGet, "http://localhost:19284/callback?code=c&state="+expectedState, nil)
		req.Host = host
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusMisdirectedRequest {
			t.Errorf("Host %q: %d; want 421", host, rec.Code)
		}
		if o, ok := delivered(h.won); ok {
			t.Errorf("Host %q ended the login: %+v", host, o)
		}
	}
	for _, host := range good {
		h := newHandler()
		req := httptest.NewRequest(http.MethodGet, "http://localhost:19284/callback?code=c&state="+expectedState, nil)
		req.Host = host
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if o, ok := delivered(h.won); rec.Code != http.StatusOK || !ok || o.code != "c" {
			t.Errorf("Host %q: %d, %+v %t; want the login to end with the code", host, rec.Code, o, ok)
		}
	}
}

func TestCallbackMissingParamsKeepWaiting(t *testing.T) {
	h := newHandler()
	for _, target := range []string{
		"/callback",
		"/callback?code=abc",
		"/callback?state=" + expectedState,
		"/callback?error=&state=" + expectedState,
		"/callback?code=&state=" + expectedState,
		"/callback?foo=bar",
	} {
		rec := get(h, target)
		if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "still waiting") {
			t.Fatalf("%s: %d %q; want an error page saying mp still waits", target, rec.Code, rec.Body.String())
		}
		if strings.Contains(rec.Body.String(), expectedState) {
			t.Fatalf("%s: the page echoes the state", target)
		}
		if o, ok := delivered(h.won); ok {
			t.Fatalf("%s ended the login: %+v", target, o)
		}
	}
	get(h, "/callback?code=late&state="+expectedState)
	if o, ok := delivered(h.won); !ok || o.code != "late" {
		t.Fatalf("the valid callback after incomplete ones: %+v, %t", o, ok)
	}
}

func TestCallbackOtherPathsAndMethodsDoNotEndLogin(t *testing.T) {
	h := newHandler()
	for _, tc := range []struct {
		method, target string
		status         int
	}{
		{http.MethodGet, "/favicon.ico", http.StatusNotFound},
		{http.MethodGet, "/", http.StatusNotFound},
		{http.MethodGet, "/callback/extra?code=a&state=" + expectedState, http.StatusNotFound},
		{http.MethodGet, "/robots.txt", http.StatusNotFound},
		{http.MethodPost, "/callback?code=a&state=" + expectedState, http.StatusMethodNotAllowed},
		{http.MethodHead, "/callback?code=a&state=" + expectedState, http.StatusMethodNotAllowed},
	} {
		rec := do(h, tc.method, tc.target)
		if rec.Code != tc.status {
			t.Fatalf("%s %s: %d; want %d", tc.method, tc.target, rec.Code, tc.status)
		}
		if o, ok := delivered(h.won); ok {
			t.Fatalf("%s %s ended the login: %+v", tc.method, tc.target, o)
		}
	}
	get(h, "/callback?code=ok&state="+expectedState)
	if o, ok := delivered(h.won); !ok || o.code != "ok" {
		t.Fatalf("the callback after the probes: %+v, %t", o, ok)
	}
}

func TestParsePaste(t *testing.T) {
	cases := []struct {
		in   string
		ok   bool
		want pasted
	}{
		{"http://localhost:19284/callback?code=c1&state=s1", true, pasted{code: "c1", state: "s1"}},
		{"  http://localhost:19284/callback?state=s1&code=c1#frag  ", true, pasted{code: "c1", state: "s1"}},
		{"https://127.0.0.1:19285/callback?code=c%2B1&state=s%3D1", true, pasted{code: "c+1", state: "s=1"}},
		{"/callback?code=c1&state=s1", true, pasted{code: "c1", state: "s1"}},
		{"code=c1&state=s1", true, pasted{code: "c1", state: "s1"}},
		{"?code=c1&state=s1", true, pasted{code: "c1", state: "s1"}},
		{`"http://localhost:19284/callback?code=c1&state=s1"`, true, pasted{code: "c1", state: "s1"}},
		{"<http://localhost:19284/callback?code=c1&state=s1>", true, pasted{code: "c1", state: "s1"}},
		{"'code=c1&state=s1'", true, pasted{code: "c1", state: "s1"}},
		{"http://localhost:19284/callback?error=access_denied&error_description=nope&state=s1", true, pasted{state: "s1", errCode: "access_denied", errDetails: "nope"}},
		{"error=server_error", true, pasted{errCode: "server_error"}},
		{"", false, pasted{}},
		{"   ", false, pasted{}},
		{"hello", false, pasted{}},
		{"c1", false, pasted{}},
		{"code=c1", false, pasted{}},
		{"state=s1", false, pasted{}},
		{"http://localhost:19284/callback", false, pasted{}},
		{"http://localhost:19284/callback?code=c1", false, pasted{}},
		{"ftp://x/callback?code=c1&state=s1", false, pasted{}},
		{"code=%zz&state=s1", false, pasted{}},
		{"http://[::1/callback?code=c1&state=s1", false, pasted{}},
	}
	for _, tc := range cases {
		got, ok := parsePaste(tc.in)
		if ok != tc.ok || got != tc.want {
			t.Errorf("parsePaste(%q) = %+v, %t; want %+v, %t", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func FuzzParsePaste(f *testing.F) {
	for _, s := range []string{
		"http://localhost:19284/callback?code=c1&state=s1", "code=a&state=b", "error=x", "?", "'\"<>'", "http://[::1]:1/?code=1&state=2",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, ok := parsePaste(s)
		if !ok {
			if p != (pasted{}) {
				t.Fatalf("a rejected line returned %+v", p)
			}
			return
		}
		if p.errCode == "" && (p.code == "" || p.state == "") {
			t.Fatalf("accepted %q without code and state: %+v", s, p)
		}
	})
}

func TestReadPaste(t *testing.T) {
	cases := []struct {
		name  string
		input string
		code  string
		err   domain.Code
		none  bool
	}{
		{"first good line wins", "junk\n\ncode=first&state=" + expectedState + "\ncode=second&state=" + expectedState + "\n", "first", "", false},
		{"windows line ending", "code=c&state=" + expectedState + "\r\n", "c", "", false},
		{"no final newline", "http://localhost:1/callback?code=c&state=" + expectedState, "c", "", false},
		{"other state", "code=c&state=other\n", "", domain.CodeOAuthStateMismatch, false},
		{"denied", "error=access_denied\n", "", domain.CodeOAuthAuthDenied, false},
		{"denied with other state", "error=access_denied&state=other\n", "", domain.CodeOAuthStateMismatch, false},
		{"only junk", "junk\nmore junk\n", "", domain.CodeOAuthPasteError, false},
		{"too long", strings.Repeat("x", maxPasteLine+10) + "\n", "", domain.CodeOAuthPasteError, false},
		{"empty", "", "", "", true},
		{"blank lines", "\n  \n\t\n", "", "", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			won := newRace()
			readPaste(strings.NewReader(tc.input), expectedState, won)
			o, ok := delivered(won)
			switch {
			case tc.none:
				if ok {
					t.Fatalf("delivered %+v; want nothing (the callback may still come)", o)
				}
			case tc.err != "":
				if !ok || !errors.Is(o.err, tc.err) {
					t.Fatalf("outcome %+v, %t; want %s", o, ok, tc.err)
				}
				if strings.Contains(o.err.Error(), "junk") || strings.Contains(strings.ToLower(o.err.Error()), strings.ToLower(expectedState)) {
					t.Fatalf("the error quotes the paste: %v", o.err)
				}
			default:
				if !ok || o.err != nil || o.code != tc.code {
					t.Fatalf("outcome %+v, %t; want code %q", o, ok, tc.code)
				}
			}
		})
	}
}

func TestReadPasteLosesToEarlierWinner(t *testing.T) {
	won := newRace()
	won.deliver(outcome{code: "from-callback"})
	readPaste(strings.NewReader("code=pasted&state="+expectedState+"\n"), expectedState, won)
	if o, _ := delivered(won); o.code != "from-callback" {
		t.Fatalf("outcome %+v; want the callback's", o)
	}
}

func TestParseExpiresIn(t *testing.T) {
	cases := []struct {
		raw  string
		want float64
		ok   bool
	}{
		{"3600", 3600, true},
		{"3600.25", 3600.25, true},
		{`"3600"`, 3600, true},
		{`" 1.5 "`, 1.5, true},
		{"1e3", 1000, true},
		{"0", 0, true},
		{"null", 0, false},
		{`""`, 0, false},
		{`"soon"`, 0, false},
		{"-5", 0, false},
		{`"NaN"`, 0, false},
		{`"Inf"`, 0, false},
		{"true", 0, false},
	}
	for _, tc := range cases {
		got, ok := parseExpiresIn(tc.raw)
		if ok != tc.ok || got != tc.want {
			t.Errorf("parseExpiresIn(%s) = %v, %t; want %v, %t", tc.raw, got, ok, tc.want, tc.ok)
		}
	}
}

func TestNormalizeJSON(t *testing.T) {
	cases := []struct {
		body, want string
		secs       float64
		captured   bool
	}{
		{`{"expires_in": 3600, "access_token": "a"}`, `{"expires_in": 3600, "access_token": "a"}`, 3600, true},
		{`{"expires_in": "3600.9", "access_token": "a"}`, `{"access_token":"a","expires_in":3600}`, 3600.9, true},
		{`{"expires_in": 0.5}`, `{"expires_in":0}`, 0.5, true},
		{`{"expires_in": 1e12}`, `{"expires_in":2147483647}`, 1e12, true},
		{`{"expires_in": "later"}`, `{"expires_in": "later"}`, 0, false},
		{`{"access_token": "a"}`, `{"access_token": "a"}`, 0, false},
		{`not json`, `not json`, 0, false},
	}
	for _, tc := range cases {
		tr := &tokenTransport{capture: &expiresCapture{}}
		got := string(tr.normalizeJSON([]byte(tc.body)))
		secs, ok := tr.capture.get()
		if got != tc.want || ok != tc.captured || secs != tc.secs {
			t.Errorf("normalizeJSON(%s) = %s (captured %v, %t); want %s (%v, %t)", tc.body, got, secs, ok, tc.want, tc.secs, tc.captured)
		}
	}
}

func TestClipText(t *testing.T) {
	if got := clipText("a\x1b[2Jb\nc\u202e", 100); got != "a?[2Jb?c?" {
		t.Fatalf("clipText = %q", got)
	}
	if got := clipText(strings.Repeat("é", 10), 4); got != "éééé…" {
		t.Fatalf("clipText cut = %q", got)
	}
}

func TestPageTemplateEscapes(t *testing.T) {
	rec := httptest.NewRecorder()
	writePage(rec, http.StatusOK, page{Title: "<b>t</b>", Text: "x & y", Detail: `"><img src=x onerror=alert(1)>`})
	body, _ := io.ReadAll(rec.Body)
	if strings.Contains(string(body), "<img") || strings.Contains(string(body), "<b>") {
		t.Fatalf("page not escaped:\n%s", body)
	}
}

func TestReadPasteStopsOnceTheRaceIsOver(t *testing.T) {
	won := newRace()
	won.deliver(outcome{code: "from-callback"})
	pr, pw := io.Pipe()
	defer func() { _ = pw.Close() }()
	done := make(chan struct{})
	go func() {
		readPaste(pr, expectedState, won)
		close(done)
	}()
	// A line typed for whoever reads next: readPaste takes it (its Read
	// was in progress) but then stops, although the input stays open.
	if _, err := io.WriteString(pw, "2\n"); err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("readPaste kept reading after the callback had won")
	}
	if o, _ := delivered(won); o.code != "from-callback" {
		t.Fatalf("outcome %+v", o)
	}
}

// Without a user setting each registration, code exchange and refresh
// request is bounded by DefaultRequestTimeout, named as mp's default; a
// user setting wins.
func TestDefaultRequestTimeout(t *testing.T) {
	f := New(Options{})
	if f.reqTimeout != DefaultRequestTimeout || f.reqSource != defaultTimeoutSource {
		t.Fatalf("default: %s (%q)", f.reqTimeout, f.reqSource)
	}
	f = New(Options{RequestTimeout: 5 * time.Second, RequestTimeoutSource: "MP_HTTP_TIMEOUT"})
	if f.reqTimeout != 5*time.Second || f.reqSource != "MP_HTTP_TIMEOUT" {
		t.Fatalf("user setting: %s (%q)", f.reqTimeout, f.reqSource)
	}
}

// The page escapes every field, quotes included, and shows the detail
// paragraph only when there is a detail.
func TestPageEscapesEveryField(t *testing.T) {
	got := pageHTML(page{Title: `a<b>&"'`, Text: "<script>x</script>", Detail: `"><img src=x>`})
	for _, want := range []string{
		"<title>a&lt;b&gt;&amp;&#34;&#39; — mp</title>",
		"<h1>a&lt;b&gt;&amp;&#34;&#39;</h1>",
		"<p>&lt;script&gt;x&lt;/script&gt;</p>",
		"<p>Mixpanel said: <code>&#34;&gt;&lt;img src=x&gt;</code></p>",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("page lacks %q:\n%s", want, got)
		}
	}
	if got := pageHTML(page{Title: "t", Text: "x"}); strings.Contains(got, "Mixpanel said") {
		t.Errorf("a page without detail shows the detail paragraph:\n%s", got)
	}
}
