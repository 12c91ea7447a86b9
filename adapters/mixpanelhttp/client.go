package mixpanelhttp

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
)

// Retry and timeout policy.
const (
	// MaxAttempts is the most times one GET or HEAD request is sent
	// (the first try included).
	MaxAttempts = 4
	// BaseBackoff is the nominal wait before the second attempt; it doubles
	// for each later attempt (0.5 s, 1 s, 2 s) and is jittered to between
	// half and one and a half times its nominal value.
	BaseBackoff = 500 * time.Millisecond
	// MaxRetryAfter caps how long the client waits on a Retry-After header
	// (seconds or HTTP-date form, on 429 and 502/503/504). A Retry-After
	// within the cap replaces the backoff for that wait, without jitter; an
	// HTTP-date is measured against Options.Now. A server asking for a
	// longer wait ends
	// the retries at once: the error (RATE_LIMITED for 429) carries the
	// asked wait in Details["retry_after"], so the caller fails fast instead
	// of hanging for minutes.
	MaxRetryAfter = 60 * time.Second
	// DefaultConnectTimeout bounds, per attempt, the TCP dial, the TLS
	// handshake and the wait for the response headers (the first byte of
	// the answer) of the client NewHTTPClient builds.
	DefaultConnectTimeout = 30 * time.Second
	// DefaultIdleTimeout bounds, per attempt, how long the body of an
	// answer may stall (no byte arriving) before the attempt is abandoned
	// as a network timeout (retried like one for GET and HEAD).
	DefaultIdleTimeout = 30 * time.Second
	// DefaultCallTimeout bounds each call as a whole, retries and waits
	// included, when Options.Timeout is zero (no MP_HTTP_TIMEOUT, no
	// [settings] http_timeout, no mp.WithRequestTimeout).
	DefaultCallTimeout = 2 * time.Minute
	// defaultTimeoutSource names DefaultCallTimeout in messages.
	defaultTimeoutSource = "mp's default"
	// maxBodyBytes bounds how much of an answer is read.
	maxBodyBytes = 64 << 20
)

// Options configure a Client. The zero value is usable: the real Mixpanel
// hosts, a new tuned HTTP client, no logging.
type Options struct {
	// BaseURL replaces https://{host} for every region (the value of
	// MP_API_BASE_URL), e.g. "http://127.0.0.1:8765". A literal "{region}"
	// in it is replaced by the scope's region code. Empty means the real
	// Mixpanel host of each region.
	BaseURL string
	// HTTPClient sends every request. Nil means one new client from
	// NewHTTPClient. It is reused for every scope.
	HTTPClient *http.Client
	// UserAgent is sent with every request; build it with UserAgent. Empty
	// means UserAgent("devel", "lib").
	UserAgent string
	// Timeout bounds each call as a whole, retries and waits included.
	// Zero means DefaultCallTimeout; a negative value means no bound beyond
	// the caller's context. A call that runs out of it is
	// NETWORK_UNREACHABLE saying so (details timeout, per_call_timeout),
	// distinct from the caller's context ending.
	Timeout time.Duration
	// TimeoutSource says where Timeout came from (for example
	// "MP_HTTP_TIMEOUT"), named in the message of a call that runs out of
	// it. Empty names no source.
	TimeoutSource string
	// IdleTimeout bounds how long the body of an answer may stall. Zero
	// means DefaultIdleTimeout.
	IdleTimeout time.Duration
	// Logger receives debug lines per attempt (method, path, status,
	// attempt, duration). Nil means no logging.
	Logger *zap.Logger
	// Sleep waits d or until ctx ends (then it returns ctx's error). Nil
	// means a real timer. Tests pass a recorder.
	Sleep func(ctx context.Context, d time.Duration) error
	// Rand returns a number in [0, 1) for the backoff jitter. Nil means
	// math/rand/v2.
	Rand func() float64
	// Now is the clock an HTTP-date Retry-After is measured against. Nil
	// means time.Now.
	Now func() time.Time
}

// Client talks to Mixpanel's HTTP API. It implements ports.MixpanelAPI and
// is safe for concurrent use.
type Client struct {
	http    *http.Client
	base    string // BaseURL without a trailing slash; "" for the real hosts
	baseErr error  // why BaseURL is unusable, reported by every call
	ua      string
	timeout time.Duration // <= 0: none
	source  string        // where timeout came from
	idle    time.Duration
	log     *zap.Logger
	sleep   func(ctx context.Context, d time.Duration) error
	rand    func() float64
	now     func() time.Time
}

var _ ports.MixpanelAPI = (*Client)(nil)

// New returns a Client. An unusable BaseURL is reported by every call (as
// CONFIG_ERROR naming MP_API_BASE_URL), so New itself cannot fail.
func New(opts Options) *Client {
	c := &Client{
		// Credentials go only to the origin they are meant for: a
		// redirect elsewhere is refused (docs/security.md).
		http:    WithSameOriginRedirects(opts.HTTPClient),
		ua:      opts.UserAgent,
		timeout: opts.Timeout,
		source:  opts.TimeoutSource,
		idle:    opts.IdleTimeout,
		log:     opts.Logger,
		sleep:   opts.Sleep,
		rand:    opts.Rand,
		now:     opts.Now,
	}
	if c.timeout == 0 {
		c.timeout, c.source = DefaultCallTimeout, defaultTimeoutSource
	}
	if c.idle <= 0 {
		c.idle = DefaultIdleTimeout
	}
	if c.ua == "" {
		c.ua = UserAgent("devel", "lib")
	}
	if c.log == nil {
		c.log = zap.NewNop()
	}
	if c.sleep == nil {
		c.sleep = sleepTimer
	}
	if c.rand == nil {
		c.rand = rand.Float64
	}
	if c.now == nil {
		c.now = time.Now
	}
	c.base, c.baseErr = checkBaseURL(opts.BaseURL)
	return c
}

// MaxIdleConnsPerHost is how many idle connections the default client
// keeps per host: as many as concurrent callers a library user typically
// runs, so that a second wave of N ≤ 64 concurrent calls reuses the
// connections of the first instead of opening new ones. Sequential use
// still opens one connection; idle ones close after 90 s.
const MaxIdleConnsPerHost = 64

// NewHTTPClient returns the HTTP client New uses when Options.HTTPClient is
// nil: proxies from the environment, DefaultConnectTimeout for the dial,
// the TLS handshake and the response headers, keep-alives, and up to
// MaxIdleConnsPerHost idle connections per host. It has no overall timeout: calls are bounded by
// their context, Options.Timeout and Options.IdleTimeout. Its redirects are
// Go's default; New makes them same-origin only.
func NewHTTPClient() *http.Client {
	dialer := &net.Dialer{Timeout: DefaultConnectTimeout, KeepAlive: 30 * time.Second}
	return &http.Client{Transport: &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		TLSHandshakeTimeout:   DefaultConnectTimeout,
		ResponseHeaderTimeout: DefaultConnectTimeout,
		ExpectContinueTimeout: time.Second,
		MaxIdleConns:          MaxIdleConnsPerHost * 2,
		MaxIdleConnsPerHost:   MaxIdleConnsPerHost,
		IdleConnTimeout:       90 * time.Second,
	}}
}

// UserAgent builds the User-Agent value of docs/reference/http.md:
// "mp/<version> (<kind>; <go version>; <os>/<arch>)", where kind is "cli"
// or "lib".
func UserAgent(version, kind string) string {
	return fmt.Sprintf("mp/%s (%s; %s; %s/%s)", version, kind, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

// regionHosts maps each region to its API host.
func regionHost(r domain.Region) (string, bool) {
	switch r {
	case domain.RegionUS:
		return "mixpanel.com", true
	case domain.RegionEU:
		return "eu.mixpanel.com", true
	case domain.RegionIN:
		return "in.mixpanel.com", true
	}
	return "", false
}

// origin returns scheme://host[/prefix] for a region, without a trailing
// slash.
func (c *Client) origin(r domain.Region) (string, error) {
	host, ok := regionHost(r)
	if !ok {
		return "", domain.NewError(domain.CodeInvalidArgument, "unknown region %q", string(r)).
			WithHint("use one of us, eu, in")
	}
	if c.baseErr != nil {
		return "", c.baseErr
	}
	if c.base == "" {
		return "https://" + host, nil
	}
	return strings.ReplaceAll(c.base, "{region}", string(r)), nil
}

// checkBaseURL validates an MP_API_BASE_URL value and returns it without a
// trailing slash.
func checkBaseURL(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	s = strings.TrimRight(s, "/")
	u, err := url.Parse(strings.ReplaceAll(s, "{region}", "us"))
	bad := err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		u.RawQuery != "" || u.Fragment != "" || u.User != nil
	if bad {
		return "", domain.NewError(domain.CodeConfigError,
			"MP_API_BASE_URL %q is not an http(s) URL of the form scheme://host[:port][/path]", redactUserinfo(s)).
			WithDetail("env", "MP_API_BASE_URL").
			WithHint("set it like http://127.0.0.1:8765 or http://127.0.0.1:8765/{region}, or unset it to reach Mixpanel")
	}
	return s, nil
}

// redactUserinfo hides a password in a URL-like string.
func redactUserinfo(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		// An unparseable value may still hold user:password@: show only
		// what precedes any "@".
		if i := strings.LastIndex(s, "@"); i >= 0 {
			return "[REDACTED]@" + s[i+1:]
		}
		return s
	}
	if u.User == nil {
		return s
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "REDACTED")
	}
	return u.String()
}

// sleepTimer waits d or until ctx ends.
func sleepTimer(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
