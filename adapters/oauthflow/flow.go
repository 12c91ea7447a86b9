package oauthflow

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.uber.org/zap"
	"golang.org/x/oauth2"

	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
)

// DefaultTimeout is how long Login waits for the callback (or a paste).
const DefaultTimeout = 300 * time.Second

// DefaultBrowserWait is how long Login waits for Browser.Open to return
// before it goes on as if the browser had opened.
const DefaultBrowserWait = 10 * time.Second

// defaultHTTPTimeout bounds each registration and token request when
// Options.HTTPClient is nil.
const defaultHTTPTimeout = 60 * time.Second

// DefaultRequestTimeout bounds each registration, code exchange and
// refresh request as a whole when Options.RequestTimeout is zero.
const DefaultRequestTimeout = 60 * time.Second

// defaultTimeoutSource names DefaultRequestTimeout in messages.
const defaultTimeoutSource = "mp's default"

// Browser opens a URL in a web browser (adapters/browser provides one).
type Browser interface {
	Open(url string) error
}

// Options configure a Flow. The zero value is usable: the real Mixpanel
// hosts, a new HTTP client, no client cache, no browser.
type Options struct {
	// BaseURL replaces https://{host} for every region (the value of
	// MP_API_BASE_URL); a literal "{region}" in it is replaced by the
	// region code. Empty means the real Mixpanel host of each region.
	BaseURL string
	// HTTPClient sends the registration and token requests. Nil means a
	// new client with a 60 s timeout per request.
	HTTPClient *http.Client
	// UserAgent is sent with every request when set.
	UserAgent string
	// Clients caches the registered client of each region. Nil means a
	// new registration for every login.
	Clients ports.ClientCache
	// Browser opens the authorize URL. Nil means no browser is opened
	// (the LoginURL event says so and the CLI prints the URL).
	Browser Browser
	// Ports are the callback ports tried in order on 127.0.0.1. Nil means
	// domain.CallbackPorts(). A 0 takes any free port (for tests).
	Ports []int
	// Timeout bounds the wait for the callback. Zero means DefaultTimeout.
	Timeout time.Duration
	// RequestTimeout bounds each registration, code exchange and refresh
	// request as a whole (not the wait for the callback). Zero means
	// DefaultRequestTimeout; a negative value means no bound beyond the
	// caller's context and HTTPClient's own. A request
	// that runs out of it is NETWORK_UNREACHABLE saying so (details
	// timeout, per_call_timeout).
	RequestTimeout time.Duration
	// RequestTimeoutSource says where RequestTimeout came from (for
	// example "MP_HTTP_TIMEOUT"), named in the message of a request that
	// runs out of it. Empty names no source.
	RequestTimeoutSource string
	// BrowserWait bounds the wait for Browser.Open. Zero means
	// DefaultBrowserWait.
	BrowserWait time.Duration
	// Clock is the time token expiries are measured from. Nil means
	// time.Now.
	Clock func() time.Time
	// Logger receives debug lines (never a secret). Nil means none.
	Logger *zap.Logger
	// Headless reports whether the session looks headless. Nil means
	// DetectHeadless(os.Getenv, runtime.GOOS).
	Headless func() bool
}

// Flow is the OAuth flow. It implements ports.OAuthFlow and is safe for
// concurrent use (each Login listens on its own port).
type Flow struct {
	base        string // BaseURL without a trailing slash; "" for the real hosts
	baseErr     error
	http        *http.Client
	ua          string
	clients     ports.ClientCache
	browser     Browser
	ports       []int
	timeout     time.Duration
	reqTimeout  time.Duration
	reqSource   string
	browserWait time.Duration
	clock       func() time.Time
	log         *zap.Logger
	headless    func() bool
}

var _ ports.OAuthFlow = (*Flow)(nil)

// New returns a Flow. An unusable BaseURL is reported by every call (as
// CONFIG_ERROR naming MP_API_BASE_URL), so New itself cannot fail.
func New(opts Options) *Flow {
	f := &Flow{
		http:        opts.HTTPClient,
		ua:          opts.UserAgent,
		clients:     opts.Clients,
		browser:     opts.Browser,
		ports:       append([]int(nil), opts.Ports...),
		timeout:     opts.Timeout,
		reqTimeout:  opts.RequestTimeout,
		reqSource:   opts.RequestTimeoutSource,
		browserWait: opts.BrowserWait,
		clock:       opts.Clock,
		log:         opts.Logger,
		headless:    opts.Headless,
	}
	if f.http == nil {
		f.http = &http.Client{Timeout: defaultHTTPTimeout}
	}
	if len(f.ports) == 0 {
		f.ports = domain.CallbackPorts()
	}
	if f.timeout <= 0 {
		f.timeout = DefaultTimeout
	}
	if f.reqTimeout == 0 {
		f.reqTimeout, f.reqSource = DefaultRequestTimeout, defaultTimeoutSource
	}
	if f.browserWait <= 0 {
		f.browserWait = DefaultBrowserWait
	}
	if f.clock == nil {
		f.clock = time.Now
	}
	if f.log == nil {
		f.log = zap.NewNop()
	}
	if f.headless == nil {
		f.headless = func() bool { return DetectHeadless(os.Getenv, runtime.GOOS) }
	}
	f.base, f.baseErr = checkBaseURL(opts.BaseURL)
	return f
}

// timeoutHint is the hint of an OAuth request whose per-call timeout ran
// out. The library's option is named only when it set the timeout, so
// that command-line users are pointed at what they can change.
func timeoutHint(source string) string {
	const first = "try again (stored tokens are unchanged); if Mixpanel or the network is slow, allow more time with "
	if source == "mp.WithRequestTimeout" {
		return first + "mp.WithRequestTimeout"
	}
	return first + `MP_HTTP_TIMEOUT (e.g. MP_HTTP_TIMEOUT=2m) or http_timeout = "2m" under [settings] in config.toml`
}

// DetectHeadless reports whether a session looks headless
// (docs/reference/oauth.md): SSH_CONNECTION is set, or, on Linux, neither
// DISPLAY nor WAYLAND_DISPLAY is.
func DetectHeadless(getenv func(string) string, goos string) bool {
	if getenv("SSH_CONNECTION") != "" {
		return true
	}
	return goos == "linux" && getenv("DISPLAY") == "" && getenv("WAYLAND_DISPLAY") == ""
}

// regionHost returns a region's host.
func regionHost(r domain.Region) string {
	switch r {
	case domain.RegionEU:
		return "eu.mixpanel.com"
	case domain.RegionIN:
		return "in.mixpanel.com"
	default:
		return "mixpanel.com"
	}
}

// origin returns scheme://host[/prefix] of a region without a trailing
// slash; the OAuth endpoints live under {origin}/oauth/.
func (f *Flow) origin(region domain.Region) (string, error) {
	if _, err := domain.ParseRegion(string(region)); err != nil {
		return "", err
	}
	if f.baseErr != nil {
		return "", f.baseErr
	}
	if f.base == "" {
		return "https://" + regionHost(region), nil
	}
	return strings.ReplaceAll(f.base, "{region}", string(region)), nil
}

// endpoint returns the x/oauth2 endpoint of an origin: the client id in
// the form body, no client secret (a public client).
func endpoint(origin string) oauth2.Endpoint {
	return oauth2.Endpoint{
		AuthURL:   origin + "/oauth/authorize/",
		TokenURL:  origin + "/oauth/token/",
		AuthStyle: oauth2.AuthStyleInParams,
	}
}

// checkBaseURL validates an MP_API_BASE_URL value and returns it without a
// trailing slash.
func checkBaseURL(s string) (string, error) {
	s = strings.TrimRight(strings.TrimSpace(s), "/")
	if s == "" {
		return "", nil
	}
	u, err := url.Parse(strings.ReplaceAll(s, "{region}", "us"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", domain.NewError(domain.CodeConfigError,
			"MP_API_BASE_URL is not an http(s) URL of the form scheme://host[:port][/path]").
			WithDetail("env", "MP_API_BASE_URL").
			WithHint("set it like http://127.0.0.1:8765 or http://127.0.0.1:8765/{region}, or unset it to reach Mixpanel")
	}
	return s, nil
}

// newState returns 32 random bytes, base64url without padding.
func newState() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (it panics instead)
	return base64.RawURLEncoding.EncodeToString(b)
}

// outcome is how a wait for the code ends.
type outcome struct {
	code string
	err  error
}

// race delivers the first outcome of the callback and the paste reader;
// later ones are dropped.
type race struct {
	once    sync.Once
	ch      chan outcome
	decided atomic.Bool
}

func newRace() *race { return &race{ch: make(chan outcome, 1)} }

// deliver records o if nothing was delivered before; it never blocks.
func (r *race) deliver(o outcome) {
	r.once.Do(func() {
		r.decided.Store(true)
		r.ch <- o
	})
}

// end closes the race without an outcome (the login is over for another
// reason: a timeout, a cancellation, an error).
func (r *race) end() {
	r.once.Do(func() { r.decided.Store(true) })
}

// over reports whether the race is closed.
func (r *race) over() bool { return r.decided.Load() }

// Login runs the interactive browser login in req.Region (see the package
// documentation). Nothing is persisted but the region's client cache.
func (f *Flow) Login(ctx context.Context, req ports.LoginRequest) (domain.Tokens, error) {
	if err := ctx.Err(); err != nil {
		return domain.Tokens{}, err
	}
	origin, err := f.origin(req.Region)
	if err != nil {
		return domain.Tokens{}, err
	}
	notify := func(ev ports.LoginEvent) {
		if req.Notify != nil {
			req.Notify(ev)
		}
	}

	// 1. The callback port.
	won := newRace()
	defer won.end()
	cb, err := f.listen()
	if err != nil {
		return domain.Tokens{}, err
	}
	defer cb.close()

	// 2. A client registered for this redirect URI.
	client, err := f.ensureClient(ctx, req.Region, origin, cb.redirectURI())
	if err != nil {
		return domain.Tokens{}, err
	}

	// 3. PKCE and state; 4. the authorize URL.
	verifier := oauth2.GenerateVerifier()
	state := newState()
	cfg := oauth2.Config{ClientID: client.ClientID, Endpoint: endpoint(origin), RedirectURL: cb.redirectURI()}
	authURL := cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier))
	cb.serve(state, won, f.log)
	f.log.Debug("oauth: waiting for the callback", zap.String("region", string(req.Region)), zap.Int("port", cb.port))

	ev := ports.LoginEvent{Kind: ports.LoginURL, URL: authURL, Headless: f.headless()}
	if !req.NoBrowser {
		ev.BrowserOpened, ev.BrowserError = f.openBrowser(ctx, authURL)
	}
	notify(ev)
	if req.NoBrowser && req.Paste != nil {
		go readPaste(req.Paste, state, won)
	}
	notify(ports.LoginEvent{Kind: ports.LoginWaiting})

	// 5. Wait for the code.
	code, err := f.wait(ctx, won, cb)
	if err != nil {
		return domain.Tokens{}, err
	}
	notify(ports.LoginEvent{Kind: ports.LoginCode})

	// 6. Exchange it.
	rctx, cancel := f.requestContext(ctx)
	defer cancel()
	tctx, capture := f.tokenContext(rctx)
	start := f.clock()
	tok, err := cfg.Exchange(tctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		if terr := f.timedOut(ctx, rctx, cfg.Endpoint.TokenURL); terr != nil {
			return domain.Tokens{}, terr
		}
		return domain.Tokens{}, f.exchangeError(ctx, cfg.Endpoint.TokenURL, err)
	}
	tokens := convert(tok, capture, start, client.ClientID)
	if tokens.TokenType == "" {
		tokens.TokenType = "Bearer"
	}
	f.log.Debug("oauth: login complete", zap.String("region", string(req.Region)), zap.Bool("refresh_token", !tokens.RefreshToken.IsZero()))
	return tokens, nil
}

// openBrowser opens url, waiting for Browser.Open at most browserWait
// (then the browser counts as opened: it is still starting).
func (f *Flow) openBrowser(ctx context.Context, authURL string) (opened bool, problem string) {
	if f.browser == nil {
		return false, "no browser is configured"
	}
	done := make(chan error, 1)
	go func() { done <- f.browser.Open(authURL) }()
	t := time.NewTimer(f.browserWait)
	defer t.Stop()
	select {
	case err := <-done:
		if err != nil {
			f.log.Debug("oauth: the browser did not open", zap.Error(err))
			return false, err.Error()
		}
		return true, ""
	case <-t.C:
		return true, ""
	case <-ctx.Done():
		return false, ctx.Err().Error()
	}
}

// wait returns the code of the first outcome, or the timeout or ctx's end.
func (f *Flow) wait(ctx context.Context, won *race, cb *callback) (string, error) {
	t := time.NewTimer(f.timeout)
	defer t.Stop()
	select {
	case o := <-won.ch:
		return o.code, o.err
	case <-t.C:
		ignored := ""
		var n int64
		if cb.handler != nil {
			n = cb.handler.ignored.Load()
		}
		switch {
		case n == 1:
			ignored = "; 1 callback without this login's state was ignored"
		case n > 1:
			ignored = fmt.Sprintf("; %d callbacks without this login's state were ignored", n)
		}
		e := domain.NewError(domain.CodeOAuthTimeout, "no answer from the browser within %s (the login waited on http://localhost:%d/callback%s)", f.timeout, cb.port, ignored).
			WithDetail("timeout_seconds", f.timeout.Seconds())
		if n > 0 {
			e = e.WithDetail("ignored_callbacks", n)
		}
		return "", e.WithHint("run the login again and approve access in the browser; without a browser on this machine, use --no-browser, open the printed URL elsewhere and paste the address you land on")
	case <-ctx.Done():
		return "", fmt.Errorf("login cancelled: %w", ctx.Err())
	}
}

// requestContext returns ctx bounded by the per-request timeout (ctx
// itself when there is none) and its cancel function.
func (f *Flow) requestContext(ctx context.Context) (context.Context, context.CancelFunc) {
	if f.reqTimeout <= 0 {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, f.reqTimeout)
}

// timedOut returns the NETWORK_UNREACHABLE error of a request to endpoint
// whose context rctx (derived from ctx by requestContext) ran out of the
// per-request timeout; nil when it did not, or when ctx itself ended (the
// caller's own cancellation or deadline).
func (f *Flow) timedOut(ctx, rctx context.Context, endpoint string) error {
	if ctx.Err() != nil || f.reqTimeout <= 0 || !errors.Is(rctx.Err(), context.DeadlineExceeded) {
		return nil
	}
	from := ""
	switch f.reqSource {
	case "":
	case defaultTimeoutSource:
		from = " (" + f.reqSource + ")"
	default:
		from = " (set by " + f.reqSource + ")"
	}
	e := domain.NewError(domain.CodeNetworkUnreachable, "the per-call timeout of %s%s ran out before the OAuth endpoint %s answered", f.reqTimeout, from, endpoint).
		WithDetail("endpoint", endpoint).
		WithDetail("timeout", true).
		WithDetail("per_call_timeout", f.reqTimeout.String()).
		WithDetail("retryable", true).
		WithHint("%s", timeoutHint(f.reqSource))
	if f.reqSource != "" {
		e.WithDetail("timeout_source", f.reqSource)
	}
	return e
}
