package oauthflow_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mpdata/mp/adapters/oauthflow"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/mptest"
	"github.com/mpdata/mp/ports"
	"github.com/mpdata/mp/ports/inmem"
)

// now is the fixed clock of the tests.
var now = time.Date(2026, 4, 1, 12, 0, 0, 0, time.UTC)

func clock() time.Time { return now }

// recorded is one request the recording transport saw.
type recorded struct {
	method, path string
	header       http.Header
	body         []byte
}

// recorder is an http.RoundTripper that keeps every request's body, so
// that tests can check what was sent.
type recorder struct {
	base http.RoundTripper
	mu   sync.Mutex
	reqs []recorded
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		_ = req.Body.Close()
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	r.mu.Lock()
	r.reqs = append(r.reqs, recorded{method: req.Method, path: req.URL.Path, header: req.Header.Clone(), body: body})
	r.mu.Unlock()
	return r.base.RoundTrip(req)
}

// last returns the last request whose path ends with suffix.
func (r *recorder) last(t *testing.T, suffix string) recorded {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	for i := len(r.reqs) - 1; i >= 0; i-- {
		if strings.HasSuffix(r.reqs[i].path, suffix) {
			return r.reqs[i]
		}
	}
	t.Fatalf("no request to …%s was sent", suffix)
	return recorded{}
}

// form parses a recorded form body.
func (r recorded) form(t *testing.T) url.Values {
	t.Helper()
	v, err := url.ParseQuery(string(r.body))
	if err != nil {
		t.Fatalf("the body of %s is not a form: %v", r.path, err)
	}
	return v
}

// httpBrowser is a fake browser: Open GETs the URL and follows the
// redirects (to the callback), like a browser whose user clicks Allow.
// Before that it probes the callback host's /favicon.ico, which must not
// end the login.
type httpBrowser struct {
	t      *testing.T
	mu     sync.Mutex
	calls  int
	status int
	page   string
	favico int
	err    error
}

func (b *httpBrowser) Open(u string) error {
	b.mu.Lock()
	b.calls++
	b.mu.Unlock()
	client := &http.Client{Timeout: 20 * time.Second}
	au, err := url.Parse(u)
	if err != nil {
		return err
	}
	favicon := 0
	if redirect := au.Query().Get("redirect_uri"); redirect != "" {
		ru, _ := url.Parse(redirect)
		if resp, err := client.Get(ru.Scheme + "://" + ru.Host + "/favicon.ico"); err == nil {
			favicon = resp.StatusCode
			_ = resp.Body.Close()
		}
	}
	resp, err := client.Get(u)
	b.mu.Lock()
	defer b.mu.Unlock()
	b.favico = favicon
	if err != nil {
		b.err = err
		return nil // the browser "opened"; the page failed
	}
	defer func() { _ = resp.Body.Close() }()
	data, _ := io.ReadAll(resp.Body)
	b.status, b.page = resp.StatusCode, string(data)
	return nil
}

func (b *httpBrowser) result() (calls, status int, page string, favicon int, err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.calls, b.status, b.page, b.favico, b.err
}

// failingBrowser cannot open anything.
type failingBrowser struct{}

func (failingBrowser) Open(string) error { return errors.New("no display to open a browser on") }

// events collects login events.
type events struct {
	mu  sync.Mutex
	evs []ports.LoginEvent
	url chan string
}

func newEvents() *events { return &events{url: make(chan string, 1)} }

func (e *events) notify(ev ports.LoginEvent) {
	e.mu.Lock()
	e.evs = append(e.evs, ev)
	e.mu.Unlock()
	if ev.Kind == ports.LoginURL {
		e.url <- ev.URL
	}
}

func (e *events) kinds() []ports.LoginEventKind {
	e.mu.Lock()
	defer e.mu.Unlock()
	var k []ports.LoginEventKind
	for _, ev := range e.evs {
		k = append(k, ev.Kind)
	}
	return k
}

func (e *events) first(kind ports.LoginEventKind) (ports.LoginEvent, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, ev := range e.evs {
		if ev.Kind == kind {
			return ev, true
		}
	}
	return ports.LoginEvent{}, false
}

// fixture is a sandbox and a flow wired to it.
type fixture struct {
	srv     *mptest.Server
	rec     *recorder
	clients *inmem.ClientCache
	browser *httpBrowser
	opts    oauthflow.Options
}

func newFixture(t *testing.T, srvOpts ...mptest.Option) *fixture {
	t.Helper()
	srv := mptest.NewServer(t, srvOpts...)
	rec := &recorder{base: http.DefaultTransport}
	fx := &fixture{srv: srv, rec: rec, clients: inmem.NewClientCache(), browser: &httpBrowser{t: t}}
	fx.opts = oauthflow.Options{
		BaseURL:    srv.RegionURL(),
		HTTPClient: &http.Client{Transport: rec, Timeout: 20 * time.Second},
		UserAgent:  "mp/test (lib)",
		Clients:    fx.clients,
		Browser:    fx.browser,
		Ports:      []int{0},
		Timeout:    20 * time.Second,
		Clock:      clock,
		Headless:   func() bool { return false },
	}
	return fx
}

func (fx *fixture) flow() *oauthflow.Flow { return oauthflow.New(fx.opts) }

// freePort returns a loopback port that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = l.Close() }()
	return l.Addr().(*net.TCPAddr).Port
}

// s256 is the PKCE S256 challenge of a verifier.
func s256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// codeOf asserts err's code and returns the *domain.Error.
func codeOf(t *testing.T, err error, want domain.Code) *domain.Error {
	t.Helper()
	var de *domain.Error
	if !errors.As(err, &de) || de.Code != want {
		t.Fatalf("error = %v; want %s", err, want)
	}
	return de
}

// assertNoSecrets fails when any of the secrets appears in err's text,
// hint or details.
func assertNoSecrets(t *testing.T, err error, secrets ...string) {
	t.Helper()
	if err == nil {
		return
	}
	text := err.Error()
	var de *domain.Error
	if errors.As(err, &de) {
		text += " " + de.Hint + fmt.Sprintf(" %v", de.Details)
	}
	for _, s := range secrets {
		if s != "" && strings.Contains(text, s) {
			t.Fatalf("an error carries a secret: %s", text)
		}
	}
}

// login runs Login in a goroutine and returns a channel with its result.
func login(ctx context.Context, f *oauthflow.Flow, req ports.LoginRequest) <-chan loginResult {
	out := make(chan loginResult, 1)
	go func() {
		tokens, err := f.Login(ctx, req)
		out <- loginResult{tokens, err}
	}()
	return out
}

type loginResult struct {
	tokens domain.Tokens
	err    error
}

// await waits for a login result.
func await(t *testing.T, ch <-chan loginResult) loginResult {
	t.Helper()
	select {
	case r := <-ch:
		return r
	case <-time.After(60 * time.Second):
		t.Fatal("Login did not return")
		return loginResult{}
	}
}

// bearerWorks reports whether /me accepts the access token in region.
func bearerWorks(t *testing.T, srv *mptest.Server, region string, token domain.Secret) bool {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, srv.URL()+"/"+region+"/api/app/me", nil)
	req.Header.Set("Authorization", "Bearer "+token.Reveal())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}
