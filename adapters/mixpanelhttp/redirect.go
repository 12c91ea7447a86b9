package mixpanelhttp

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// MaxRedirects is the most same-origin redirects one attempt follows; one
// more is a redirect loop, reported at once and never retried.
const MaxRedirects = 10

// RedirectError is why a redirect was not followed: it leads to another
// origin than the request's (Loop false), or there were more than
// MaxRedirects of them (Loop true). Client.Do wraps it in a *url.Error.
type RedirectError struct {
	// From is the origin the request (and its credentials) was meant for,
	// as scheme://host[:port].
	From string
	// To is the origin of the Location, as scheme://host[:port].
	To string
	// Status is the HTTP status of the redirect.
	Status int
	// Loop marks a chain longer than MaxRedirects.
	Loop bool
}

// Error implements error.
func (e *RedirectError) Error() string {
	if e.Loop {
		return fmt.Sprintf("stopped after %d redirects (a redirect loop at %s)", MaxRedirects, e.From)
	}
	return fmt.Sprintf("refused a redirect (HTTP %d) from %s to %s: credentials are only sent to the origin they are meant for", e.Status, e.From, e.To)
}

// SameOriginOnly is an http.Client CheckRedirect function that follows a
// redirect only to the origin — scheme, host and port, as curl and browsers
// compare them — of the first request, at most MaxRedirects times. A
// redirect elsewhere is refused before anything is sent there, so an
// Authorization header (or any other header the caller set) never reaches
// another origin: Go itself keeps them on a port or scheme change.
func SameOriginOnly(req *http.Request, via []*http.Request) error {
	first := via[0].URL
	status := 0
	if req.Response != nil {
		status = req.Response.StatusCode
	}
	if !SameOrigin(first, req.URL) {
		return &RedirectError{From: ShowOrigin(first), To: ShowOrigin(req.URL), Status: status}
	}
	if len(via) >= MaxRedirects {
		return &RedirectError{From: ShowOrigin(first), To: ShowOrigin(req.URL), Status: status, Loop: true}
	}
	return nil
}

// WithSameOriginRedirects returns a shallow copy of hc (nil: a new client
// from NewHTTPClient) whose CheckRedirect is SameOriginOnly. The copy
// shares hc's transport, so the connection pool stays one.
func WithSameOriginRedirects(hc *http.Client) *http.Client {
	if hc == nil {
		hc = NewHTTPClient()
	}
	cp := *hc
	cp.CheckRedirect = SameOriginOnly
	return &cp
}

// SameOrigin reports whether a and b have the same scheme, host and port
// (a missing port is the scheme's default).
func SameOrigin(a, b *url.URL) bool {
	return originKey(a) == originKey(b)
}

// originKey is scheme://host:port, lower-case, with the default port made
// explicit.
func originKey(u *url.URL) string {
	scheme := strings.ToLower(u.Scheme)
	host := strings.ToLower(u.Hostname())
	port := u.Port()
	if port == "" {
		switch scheme {
		case "https":
			port = "443"
		case "http":
			port = "80"
		}
	}
	return scheme + "://" + net.JoinHostPort(host, port)
}

// ShowOrigin is u's origin as a user reads it: scheme://host[:port], no
// path, no query (which might hold a secret), no user information.
func ShowOrigin(u *url.URL) string {
	return strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Host)
}

// asRedirect returns the *RedirectError in err's chain.
func asRedirect(err error) (*RedirectError, bool) {
	var re *RedirectError
	ok := errors.As(err, &re)
	return re, ok
}
