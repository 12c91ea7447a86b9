package oauthflow

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"math"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.uber.org/zap"
	"golang.org/x/oauth2"

	"github.com/mpdata/mp/domain"
)

// maxTokenAnswer bounds how much of a token answer is read (x/oauth2 reads
// at most 1 MiB too).
const maxTokenAnswer = 1 << 20

// errTooLarge is a token or registration answer beyond its limit.
var errTooLarge = errors.New("the answer is larger than 1 MiB")

// tooLargeError is the error of an OAuth answer beyond 1 MiB: code naming
// the endpoint and the limit, not a network problem, not retryable.
func tooLargeError(code domain.Code, what, endpoint string) *domain.Error {
	return domain.NewError(code, "the answer of the %s %s is larger than mp's limit of 1 MiB", what, endpoint).
		WithDetail("endpoint", endpoint).
		WithDetail("limit_bytes", maxTokenAnswer).
		WithHint("no Mixpanel OAuth endpoint answers this much: check MP_API_BASE_URL and any proxy between you and Mixpanel")
}

// Refresh runs the refresh grant (POST {oauth}token/ with grant_type
// refresh_token, refresh_token and client_id) for tokens in region. The
// client is tokens.ClientID; tokens without one (a file the Python tool
// wrote) fall back to the region's cached client, as the Python tool
// does. The result is not merged with tokens: a missing refresh_token
// stays zero, and the result's ClientID is the client used.
func (f *Flow) Refresh(ctx context.Context, region domain.Region, tokens domain.Tokens) (domain.Tokens, error) {
	if err := ctx.Err(); err != nil {
		return domain.Tokens{}, err
	}
	origin, err := f.origin(region)
	if err != nil {
		return domain.Tokens{}, err
	}
	if tokens.RefreshToken.IsZero() {
		return domain.Tokens{}, domain.NewError(domain.CodeOAuthTokenError, "the stored tokens have no refresh token, so they cannot be renewed").
			WithHint("run `mp account login` for this account")
	}
	clientID := tokens.ClientID
	if clientID == "" && f.clients != nil {
		if c, ok, err := f.clients.Get(ctx, region); err == nil && ok {
			clientID = c.ClientID
		}
	}
	if clientID == "" {
		return domain.Tokens{}, domain.NewError(domain.CodeOAuthTokenError, "the stored tokens do not say which OAuth client minted them (no client_id), so they cannot be renewed").
			WithHint("run `mp account login` for this account")
	}
	cfg := oauth2.Config{ClientID: clientID, Endpoint: endpoint(origin)}
	rctx, cancel := f.requestContext(ctx)
	defer cancel()
	tctx, capture := f.tokenContext(rctx)
	start := f.clock()
	tok, err := cfg.TokenSource(tctx, &oauth2.Token{RefreshToken: tokens.RefreshToken.Reveal()}).Token()
	if err != nil {
		if terr := f.timedOut(ctx, rctx, cfg.Endpoint.TokenURL); terr != nil {
			return domain.Tokens{}, terr
		}
		return domain.Tokens{}, f.refreshError(ctx, cfg.Endpoint.TokenURL, err)
	}
	fresh := convert(tok, capture, start, clientID)
	f.log.Debug("oauth: refreshed", zap.String("region", string(region)), zap.Bool("rotated", !fresh.RefreshToken.IsZero()))
	return fresh, nil
}

// tokenContext returns ctx carrying the HTTP client x/oauth2 uses for one
// token request, and the capture of that request's expires_in.
func (f *Flow) tokenContext(ctx context.Context) (context.Context, *expiresCapture) {
	capture := &expiresCapture{}
	base := f.http.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	// A token request never follows a redirect (docs/security.md): the
	// code, the PKCE verifier or the refresh token would go with it.
	client := withoutRedirects(f.http)
	client.Transport = &tokenTransport{base: base, ua: f.ua, capture: capture}
	return context.WithValue(ctx, oauth2.HTTPClient, client), capture
}

// expiresCapture holds the exact expires_in of a token answer.
type expiresCapture struct {
	mu      sync.Mutex
	seconds float64
	ok      bool
}

func (c *expiresCapture) set(seconds float64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seconds, c.ok = seconds, true
}

func (c *expiresCapture) get() (float64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.seconds, c.ok
}

// tokenTransport adds the User-Agent and makes expires_in readable by
// x/oauth2, which takes only whole numbers (as a JSON number or string):
// a fractional or string value is captured exactly and rewritten as the
// whole seconds it holds.
type tokenTransport struct {
	base    http.RoundTripper
	ua      string
	capture *expiresCapture
}

// RoundTrip implements http.RoundTripper.
func (t *tokenTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.ua != "" && req.Header.Get("User-Agent") == "" {
		req = req.Clone(req.Context())
		req.Header.Set("User-Agent", t.ua)
	}
	resp, err := t.base.RoundTrip(req)
	if err != nil || resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp, err
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxTokenAnswer+1))
	_ = resp.Body.Close()
	if err != nil {
		return nil, err
	}
	if len(data) > maxTokenAnswer {
		return nil, errTooLarge
	}
	ct, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if ct == "application/x-www-form-urlencoded" || ct == "text/plain" {
		if vals, err := url.ParseQuery(string(data)); err == nil {
			if secs, ok := parseExpiresIn(strconv.Quote(vals.Get("expires_in"))); ok {
				t.capture.set(secs)
			}
		}
	} else {
		data = t.normalizeJSON(data)
	}
	resp.Body = io.NopCloser(bytes.NewReader(data))
	resp.ContentLength = int64(len(data))
	resp.Header.Set("Content-Length", strconv.Itoa(len(data)))
	return resp, nil
}

// normalizeJSON captures expires_in and, unless it is already a whole
// JSON number, rewrites it as one. Anything it cannot read is passed on
// untouched (x/oauth2 then reports it).
func (t *tokenTransport) normalizeJSON(data []byte) []byte {
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(data, &doc); err != nil || doc == nil {
		return data
	}
	raw, present := doc["expires_in"]
	if !present {
		return data
	}
	secs, ok := parseExpiresIn(string(raw))
	if !ok {
		return data
	}
	t.capture.set(secs)
	if isDigits(string(raw)) {
		return data
	}
	whole := math.Min(math.Floor(secs), math.MaxInt32)
	doc["expires_in"] = json.RawMessage(strconv.FormatInt(int64(whole), 10))
	out, err := json.Marshal(doc)
	if err != nil {
		return data
	}
	return out
}

// parseExpiresIn reads expires_in as a JSON number or a JSON string that
// holds one, fractional allowed. null, negative and non-finite values are
// not ok.
func parseExpiresIn(raw string) (float64, bool) {
	raw = strings.TrimSpace(raw)
	if strings.HasPrefix(raw, `"`) {
		s, err := strconv.Unquote(raw)
		if err != nil {
			return 0, false
		}
		raw = strings.TrimSpace(s)
	}
	if raw == "" || raw == "null" {
		return 0, false
	}
	secs, err := strconv.ParseFloat(raw, 64)
	if err != nil || math.IsNaN(secs) || math.IsInf(secs, 0) || secs < 0 {
		return 0, false
	}
	return secs, true
}

// isDigits reports whether s is a non-empty run of ASCII digits.
func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// convert turns x/oauth2's token into domain tokens: the refresh token
// only when the answer carried one (x/oauth2 copies the old one into a
// refresh answer without it), the scope from the answer, the expiry
// measured from start, when the request was sent.
func convert(t *oauth2.Token, capture *expiresCapture, start time.Time, clientID string) domain.Tokens {
	out := domain.Tokens{
		AccessToken: domain.NewSecret(t.AccessToken),
		TokenType:   t.TokenType,
		ClientID:    clientID,
	}
	if rt, ok := t.Extra("refresh_token").(string); ok && rt != "" {
		out.RefreshToken = domain.NewSecret(rt)
	}
	if scope, ok := t.Extra("scope").(string); ok {
		out.Scope = scope
	}
	secs, ok := capture.get()
	if !ok && t.ExpiresIn > 0 {
		secs, ok = float64(t.ExpiresIn), true
	}
	if ok && secs > 0 {
		out.ExpiresAt = start.Add(time.Duration(math.Min(secs, math.MaxInt32) * float64(time.Second))).UTC()
	}
	return out
}

// exchangeError maps a failed code exchange.
func (f *Flow) exchangeError(ctx context.Context, tokenURL string, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	var re *oauth2.RetrieveError
	if rr, ok := asRedirect(err); ok {
		return redirectError(domain.CodeOAuthTokenError, "token endpoint", tokenURL, rr)
	}
	if errors.Is(err, errTooLarge) {
		return tooLargeError(domain.CodeOAuthTokenError, "token endpoint", tokenURL)
	}
	switch {
	case errors.As(err, &re):
		status := statusOf(re)
		e := domain.NewError(domain.CodeOAuthTokenError, "the token endpoint refused the authorization code: HTTP %d%s", status, retrieveText(re)).
			WithDetail("status", status).
			WithDetail("endpoint", tokenURL).
			WithHint("run the login again")
		if re.ErrorCode != "" {
			e = e.WithDetail("error", clipText(re.ErrorCode, 64))
		}
		if status >= 500 || status == http.StatusTooManyRequests {
			e = e.WithDetail("retryable", true)
		}
		return e
	case isTransport(err):
		return unreachable(tokenURL, err)
	default:
		return domain.NewError(domain.CodeOAuthTokenError, "the token endpoint's answer to the code exchange is not a token").
			WithDetail("endpoint", tokenURL).
			WithHint("run the login again; if it repeats, check MP_API_BASE_URL if set")
	}
}

// refreshError maps a failed refresh grant.
func (f *Flow) refreshError(ctx context.Context, tokenURL string, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	var re *oauth2.RetrieveError
	if rr, ok := asRedirect(err); ok {
		return redirectError(domain.CodeOAuthRefreshError, "token endpoint", tokenURL, rr)
	}
	if errors.Is(err, errTooLarge) {
		return tooLargeError(domain.CodeOAuthRefreshError, "token endpoint", tokenURL)
	}
	switch {
	case errors.As(err, &re) && re.ErrorCode == "invalid_grant":
		return domain.NewError(domain.CodeOAuthRefreshRevoked, "the refresh token was rejected (invalid_grant): it was revoked, expired or already used").
			WithDetail("status", statusOf(re)).
			WithDetail("endpoint", tokenURL).
			WithHint("run `mp account login` for this account")
	case errors.As(err, &re):
		status := statusOf(re)
		e := domain.NewError(domain.CodeOAuthRefreshError, "the token endpoint refused the refresh: HTTP %d%s", status, retrieveText(re)).
			WithDetail("status", status).
			WithDetail("endpoint", tokenURL)
		if re.ErrorCode != "" {
			e = e.WithDetail("error", clipText(re.ErrorCode, 64))
		}
		if status >= 500 || status == http.StatusTooManyRequests {
			return e.WithDetail("retryable", true).WithHint("Mixpanel's OAuth service is busy or failing; the tokens are unchanged, try again shortly")
		}
		return e.WithHint("run `mp account login` for this account if this persists")
	case isTransport(err):
		return unreachable(tokenURL, err)
	default:
		return domain.NewError(domain.CodeOAuthRefreshError, "the token endpoint's answer to the refresh is not a token").
			WithDetail("endpoint", tokenURL).
			WithDetail("retryable", true).
			WithHint("the tokens are unchanged; try again, and check MP_API_BASE_URL if set")
	}
}

// statusOf returns the HTTP status of a token endpoint refusal.
func statusOf(re *oauth2.RetrieveError) int {
	if re.Response == nil {
		return 0
	}
	return re.Response.StatusCode
}

// retrieveText renders the provider's error code and description, never
// the body (which x/oauth2's own message includes).
func retrieveText(re *oauth2.RetrieveError) string {
	if re.ErrorCode == "" {
		return ""
	}
	return ": " + providerText(re.ErrorCode, re.ErrorDescription)
}

// isTransport reports whether err is a failure to talk to the server.
func isTransport(err error) bool {
	var ue *url.Error
	var ne net.Error
	return errors.As(err, &ue) || errors.As(err, &ne)
}

// unreachable is the NETWORK_UNREACHABLE error of a token request.
func unreachable(tokenURL string, err error) error {
	return domain.NewError(domain.CodeNetworkUnreachable, "cannot reach the OAuth token endpoint %s", tokenURL).
		WithDetail("endpoint", tokenURL).
		WithDetail("retryable", true).
		WithHint("check the network connection (and MP_API_BASE_URL if set); the tokens are unchanged").
		WithCause(err)
}
