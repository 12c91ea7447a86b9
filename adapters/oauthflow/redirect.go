package oauthflow

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/mpdata/mp/domain"
)

// redirectRefused is why a registration or token request did not follow
// a redirect: mp never follows one from these endpoints, whatever the
// origin, so neither the registration nor a code, verifier or refresh
// token is ever sent anywhere but the endpoint mp chose.
type redirectRefused struct {
	status int
	to     string // the Location's origin, scheme://host[:port]
}

func (e *redirectRefused) Error() string {
	return fmt.Sprintf("the endpoint answered HTTP %d redirecting to %s; OAuth requests never follow redirects", e.status, e.to)
}

// noRedirects is an http.Client CheckRedirect function that refuses every
// redirect before anything is sent to its Location.
func noRedirects(req *http.Request, _ []*http.Request) error {
	status := 0
	if req.Response != nil {
		status = req.Response.StatusCode
	}
	return &redirectRefused{status: status, to: showOrigin(req.URL)}
}

// withoutRedirects returns a shallow copy of hc (same transport, so the
// same connection pool) that follows no redirect.
func withoutRedirects(hc *http.Client) *http.Client {
	cp := *hc
	cp.CheckRedirect = noRedirects
	return &cp
}

// showOrigin is u's origin: scheme://host[:port], no path, no query, no
// user information.
func showOrigin(u *url.URL) string {
	return strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Host)
}

// asRedirect returns the *redirectRefused in err's chain.
func asRedirect(err error) (*redirectRefused, bool) {
	var re *redirectRefused
	ok := errors.As(err, &re)
	return re, ok
}

// redirectError is the error of an OAuth request that was answered with a
// redirect: code (OAUTH_TOKEN_ERROR, OAUTH_REFRESH_ERROR or
// OAUTH_REGISTRATION_ERROR) naming the endpoint and the Location's origin.
// Nothing of the request was sent there.
func redirectError(code domain.Code, what, endpoint string, re *redirectRefused) *domain.Error {
	return domain.NewError(code, "the %s %s answered HTTP %d, a redirect to %s; mp never follows a redirect from an OAuth endpoint, so nothing was sent there",
		what, endpoint, re.status, re.to).
		WithDetail("endpoint", endpoint).
		WithDetail("status", re.status).
		WithDetail("redirect_origin", re.to).
		WithHint("check MP_API_BASE_URL and any proxy between you and Mixpanel (the tokens are unchanged)")
}
