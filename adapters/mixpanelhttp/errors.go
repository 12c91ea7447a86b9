package mixpanelhttp

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"unicode"

	"github.com/mpdata/mp/domain"
)

// timeoutHint is the hint of a per-call timeout that ran out: where to
// allow more time. The library's option is named only when it set the
// timeout, so that command-line users are pointed at what they can change.
func timeoutHint(first, source string) string {
	if source == libraryTimeoutSource {
		return first + "; if Mixpanel or the network is slow, allow more time with mp.WithRequestTimeout"
	}
	return first + "; if Mixpanel or the network is slow, allow more time with MP_HTTP_TIMEOUT (e.g. MP_HTTP_TIMEOUT=2m) " +
		`or http_timeout = "2m" under [settings] in config.toml`
}

// libraryTimeoutSource is the source the library gives a per-call timeout
// set by mp.WithRequestTimeout.
const libraryTimeoutSource = "mp.WithRequestTimeout"

// maxAPIErrorLen bounds the API error text kept in messages and details.
const maxAPIErrorLen = 300

// maxBodyDetail bounds a raw error body kept in Details["body"] (Do).
const maxBodyDetail = 64 << 10

// isProjectPath reports whether an app-API path names a project:
// /api/app/projects/ID, alone or followed by "/" (what the regular
// expression ^/api/app/projects/[0-9]+(/|$) matches, without compiling
// one when mp starts).
func isProjectPath(path string) bool {
	rest, ok := strings.CutPrefix(path, "/api/app/projects/")
	if !ok {
		return false
	}
	n := 0
	for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
		n++
	}
	return n > 0 && (n == len(rest) || rest[n] == '/')
}

// baseError starts an error with the details every API error carries.
func baseError(code domain.Code, cl *call, status int, apiText string, format string, args ...any) *domain.Error {
	e := domain.NewError(code, format, args...).
		WithDetail("endpoint", cl.path).
		WithDetail("method", cl.method)
	if apiText != "" {
		e.WithDetail("api_error", apiText)
	}
	if status != 0 {
		e.WithDetail("status", status)
	}
	if cl.scope.Account != "" {
		e.WithDetail("account", string(cl.scope.Account))
	}
	if cl.scope.Region != "" {
		e.WithDetail("region", string(cl.scope.Region))
	}
	return e
}

// who names the caller in messages.
func who(s domain.Scope) string {
	if s.Account == "" {
		return "these credentials"
	}
	return fmt.Sprintf("account '%s'", s.Account)
}

// statusError maps a non-2xx answer to its typed error (docs/reference/http.md).
func (c *Client) statusError(cl *call, r *response) *domain.Error {
	red := newRedactor(cl.scope.Credential)
	// Redact the whole body before the text is extracted and clipped, so
	// that a secret cut in two by the clip cannot leak its first half; and
	// again after, for a secret that JSON escaping hid in the raw body.
	apiText := red.text(apiErrorText([]byte(red.text(string(r.body))), r.contentType))
	suffix := ""
	if apiText != "" {
		suffix = ": " + apiText
	}
	st := r.status
	var e *domain.Error
	switch {
	case st == http.StatusUnauthorized:
		e = baseError(domain.CodeAuthFailed, cl, st, apiText,
			"credentials for %s are invalid (HTTP 401 from %s)%s", who(cl.scope), cl.path, suffix).
			WithHint("%s", authHint(cl.scope))
	case st == http.StatusForbidden:
		e = c.permissionError(cl, st, apiText, suffix)
	case st == http.StatusNotFound && cl.projectScoped && (!cl.raw || json.Valid(bytes.TrimSpace(r.body))):
		e = baseError(domain.CodeProjectNotFound, cl, st, apiText,
			"%s was not found for %s (HTTP 404 from %s)%s", projectWords(cl.scope), who(cl.scope), cl.path, suffix).
			WithDetail("project", string(cl.scope.Project)).
			WithHint("run `mp project list` to see the projects %s can reach, then `mp project use ID`", who(cl.scope))
		if cl.scope.Workspace.IsSet() {
			e.WithDetail("workspace", int64(cl.scope.Workspace))
		}
	case st == http.StatusTooManyRequests:
		secs := c.retryAfterSeconds(r)
		e = baseError(domain.CodeRateLimited, cl, st, apiText,
			"Mixpanel rate-limited %s %s (HTTP 429 after %d %s)%s", cl.method, cl.path, r.attempts, plural(r.attempts, "attempt"), suffix).
			WithDetail("retry_after", secs).
			WithHint("wait %d s and try again; Mixpanel limits how many queries a project may run per hour and at once", secs)
	case st >= 500:
		e = baseError(domain.CodeServerError, cl, st, apiText,
			"Mixpanel failed to answer %s %s (HTTP %d after %d %s)%s", cl.method, cl.path, st, r.attempts, plural(r.attempts, "attempt"), suffix).
			WithHint("this is on Mixpanel's side; try again in a few minutes (status: https://status.mixpanel.com)")
		if _, ok := retryAfter(r.header, c.now()); ok {
			e.WithDetail("retry_after", c.retryAfterSeconds(r))
		}
	case st == http.StatusBadRequest || st == http.StatusUnprocessableEntity:
		e = baseError(domain.CodeAPIError, cl, st, apiText,
			"Mixpanel rejected %s %s as invalid (HTTP %d)%s", cl.method, cl.path, st, suffix).
			WithDetail("invalid_request", true).
			WithHint("check the parameters of the request (event, dates, unit, on, where)")
	case st == http.StatusNotFound:
		e = baseError(domain.CodeAPIError, cl, st, apiText,
			"%s %s was not found (HTTP 404)%s", cl.method, cl.path, suffix).
			WithHint("check the path; Mixpanel's endpoints live under /api/app/ and /api/query/")
	case st >= 400:
		e = baseError(domain.CodeAPIError, cl, st, apiText,
			"Mixpanel refused %s %s (HTTP %d)%s", cl.method, cl.path, st, suffix)
	default:
		e = baseError(domain.CodeHTTPError, cl, st, apiText,
			"unexpected HTTP %d from %s %s", st, cl.method, cl.path).
			WithHint("check MP_API_BASE_URL and any proxy between you and Mixpanel")
	}
	e.WithDetail("attempts", r.attempts)
	if cl.raw {
		if b, ok := red.jsonBody(r.body); ok {
			e.WithDetail("body", b)
		}
	}
	return e
}

// projectWords names the scope's project (and workspace) in a message.
func projectWords(s domain.Scope) string {
	if s.Workspace.IsSet() {
		return fmt.Sprintf("project %s or its workspace %d", s.Project, int64(s.Workspace))
	}
	if s.Project.IsSet() {
		return fmt.Sprintf("project %s", s.Project)
	}
	return "the project"
}

// authHint is the next step after a 401, per account type.
func authHint(s domain.Scope) string {
	region := "its region"
	if s.Region != "" {
		region = "region " + string(s.Region)
	}
	mismatch := fmt.Sprintf("a credential only works on its own region's cluster (this one was sent to %s): "+
		"a wrong region is a common cause", region)
	switch {
	case s.Account == domain.EnvServiceAccountName:
		return "check MP_USERNAME, MP_SECRET and MP_REGION; " + mismatch
	case s.Account == domain.EnvOAuthTokenName:
		return "MP_OAUTH_TOKEN is invalid or expired: set a fresh token, and check MP_REGION; " + mismatch
	}
	name := string(s.Account)
	if name == "" {
		name = "NAME"
	}
	switch s.Type {
	case domain.TypeServiceAccount:
		return fmt.Sprintf("check the username, secret and region: `mp account update %s --username USER --secret-stdin` "+
			"or `mp account update %s --region REGION`; %s", name, name, mismatch)
	case domain.TypeOAuthToken:
		return fmt.Sprintf("the token is invalid or expired: refresh it, then store it with `mp account update %s --token-stdin` "+
			"(or update the variable named by token_env); %s", name, mismatch)
	case domain.TypeOAuthBrowser:
		return fmt.Sprintf("log in again with `mp account login %s`; %s", name, mismatch)
	}
	return "check the credentials and the region; " + mismatch
}

// permissionError builds the 403 error, naming the scope or permission
// that is likely missing.
func (c *Client) permissionError(cl *call, st int, apiText, suffix string) *domain.Error {
	name := string(cl.scope.Account)
	if name == "" {
		name = "NAME"
	}
	oauth := cl.scope.Type == domain.TypeOAuthBrowser || cl.scope.Type == domain.TypeOAuthToken
	var scopeName, msg, hint string
	switch {
	case cl.path == "/api/app/me":
		scopeName = "user_details"
		if cl.scope.Type == domain.TypeServiceAccount || cl.scope.Account == domain.EnvServiceAccountName {
			msg = fmt.Sprintf("service %s is missing the user_details scope (HTTP 403 from %s)%s", who(cl.scope), cl.path, suffix)
			hint = "in Mixpanel, open Organization Settings → Service Accounts and give this service account the " +
				"user_details scope (or create a new one with it), then run `mp account test " + name + "`"
		} else {
			msg = fmt.Sprintf("%s may not read its user details (HTTP 403 from %s)%s", who(cl.scope), cl.path, suffix)
			hint = "the token lacks the user_details permission; log in again (`mp account login " + name + "`) " +
				"or issue a token that includes it"
		}
	case strings.HasPrefix(cl.path, "/api/app/projects/"):
		scopeName = "projects"
		msg = fmt.Sprintf("%s may not read %s (HTTP 403 from %s)%s", who(cl.scope), projectWords(cl.scope), cl.path, suffix)
	case cl.path == "/api/query/segmentation":
		scopeName = "segmentation"
		msg = fmt.Sprintf("%s may not run segmentation queries on %s (HTTP 403 from %s)%s", who(cl.scope), projectWords(cl.scope), cl.path, suffix)
	case cl.path == "/api/query/events/names":
		scopeName = "events"
		msg = fmt.Sprintf("%s may not list the events of %s (HTTP 403 from %s)%s", who(cl.scope), projectWords(cl.scope), cl.path, suffix)
	default:
		msg = fmt.Sprintf("%s is not allowed to call %s %s (HTTP 403)%s", who(cl.scope), cl.method, cl.path, suffix)
	}
	if hint == "" {
		switch {
		case oauth && scopeName != "":
			hint = fmt.Sprintf("the OAuth token likely lacks the %q scope or access to the project; log in again with an account that can see it", scopeName)
		case oauth:
			hint = "the OAuth token likely lacks the scope this endpoint needs, or access to the project"
		default:
			hint = "add the service account to the project (Project Settings → Service Accounts) with a role that allows this call, " +
				"and check that the project id is right (`mp project list`)"
		}
	}
	e := baseError(domain.CodePermissionDenied, cl, st, apiText, "%s", msg).WithHint("%s", hint)
	if scopeName != "" {
		e.WithDetail("missing_scope", scopeName)
	}
	if cl.scope.Project.IsSet() {
		e.WithDetail("project", string(cl.scope.Project))
	}
	return e
}

// noCredential is the error for a scope without a credential.
func (c *Client) noCredential(cl *call) *domain.Error {
	name := string(cl.scope.Account)
	if name == "" {
		name = "NAME"
	}
	return baseError(domain.CodeAuthFailed, cl, 0, "",
		"%s has no credential to send with %s %s", who(cl.scope), cl.method, cl.path).
		WithHint("add one with `mp account update %s` (or log in with `mp account login %s`)", name, name)
}

// networkError maps a transport failure to NETWORK_UNREACHABLE, naming the
// host.
func (c *Client) networkError(ctx context.Context, cl *call, origin string, terr *transportError, attempts int) *domain.Error {
	host := origin
	if u, err := url.Parse(origin); err == nil && u.Host != "" {
		host = u.Host
	}
	cause := innerError(terr.err)
	var (
		dnsErr  *net.DNSError
		netErr  net.Error
		what    string
		hint    = "check your network connection and proxy settings (HTTPS_PROXY), and MP_API_BASE_URL if set"
		timeout bool
		perCall bool
	)
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		// send returns the caller's own deadline as a context error before
		// it gets here: this is the per-call timeout of Options.Timeout.
		from := ""
		switch c.source {
		case "":
		case defaultTimeoutSource:
			from = " (" + c.source + ")"
		default:
			from = " (set by " + c.source + ")"
		}
		what = fmt.Sprintf("the per-call timeout of %s%s ran out before %s answered", c.timeout, from, host)
		hint = timeoutHint("try again", c.source)
		timeout = true
		perCall = true
		// Not wrapped: errors.Is(err, context.DeadlineExceeded) stays the
		// caller's own deadline.
		cause = nil
	case terr.stalled:
		what = fmt.Sprintf("%s stopped sending its answer (HTTP %d) for %s", host, terr.status, c.idle)
		hint = "try again; the server or a proxy between you and it stalled in the middle of the answer"
		timeout = true
	case errors.As(terr.err, &dnsErr):
		what = fmt.Sprintf("cannot resolve %s", host)
	case errors.Is(terr.err, syscall.ECONNREFUSED):
		what = fmt.Sprintf("%s refused the connection", host)
	case errors.As(terr.err, &netErr) && netErr.Timeout():
		what = fmt.Sprintf("%s did not answer in time", host)
		timeout = true
	case terr.permanent:
		what = fmt.Sprintf("cannot talk to %s safely", host)
		hint = "the server's TLS certificate is not trusted; check the proxy (HTTPS_PROXY) and MP_API_BASE_URL"
	default:
		what = fmt.Sprintf("cannot reach %s", host)
	}
	e := baseError(domain.CodeNetworkUnreachable, cl, 0, "",
		"%s (%s %s, %d %s)", what, cl.method, cl.path, attempts, plural(attempts, "attempt")).
		WithDetail("host", host).
		WithDetail("attempts", attempts).
		WithHint("%s", hint).
		WithCause(cause)
	if timeout {
		e.WithDetail("timeout", true)
	}
	if perCall {
		e.WithDetail("per_call_timeout", c.timeout.String())
		if c.source != "" {
			e.WithDetail("timeout_source", c.source)
		}
	}
	return e
}

// redirectError is the HTTP_ERROR of a redirect mp refused to follow: to
// another origin (naming both) or a loop. Neither is retried.
func (c *Client) redirectError(cl *call, re *RedirectError, attempts int) *domain.Error {
	if re.Loop {
		return baseError(domain.CodeHTTPError, cl, re.Status, "",
			"%s %s is a redirect loop: %s redirected it %d times", cl.method, cl.path, re.From, MaxRedirects).
			WithDetail("origin", re.From).
			WithDetail("attempts", attempts).
			WithHint("the server or a proxy in between is misconfigured; check MP_API_BASE_URL and HTTPS_PROXY (a loop is not retried)")
	}
	return baseError(domain.CodeHTTPError, cl, re.Status, "",
		"refused to follow the redirect of %s %s from %s to another origin, %s (HTTP %d): mp sends credentials only to the origin they are meant for",
		cl.method, cl.path, re.From, re.To, re.Status).
		WithDetail("origin", re.From).
		WithDetail("redirect_origin", re.To).
		WithDetail("attempts", attempts).
		WithHint("nothing was sent to %s; point MP_API_BASE_URL at the server that answers itself (or unset it to reach Mixpanel), "+
			"and check any proxy between you and Mixpanel", re.To)
}

// tooLargeError is the INVALID_RESPONSE of an answer larger than
// maxBodyBytes.
func (c *Client) tooLargeError(cl *call, origin string, status, attempts int) *domain.Error {
	host := origin
	if u, err := url.Parse(origin); err == nil && u.Host != "" {
		host = u.Host
	}
	return baseError(domain.CodeInvalidResponse, cl, status, "",
		"the answer of %s to %s %s is larger than mp's limit of %d MiB", host, cl.method, cl.path, maxBodyBytes>>20).
		WithDetail("host", host).
		WithDetail("limit_bytes", maxBodyBytes).
		WithDetail("attempts", attempts).
		WithHint("no Mixpanel endpoint mp calls answers this much: check MP_API_BASE_URL and any proxy between you and Mixpanel")
}

// innerError drops the *url.Error layer (its text repeats the whole URL).
func innerError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) && ue.Err != nil {
		return ue.Err
	}
	return err
}

// safeTransportText is a transport error's text for logs.
func safeTransportText(err error) string { return innerError(err).Error() }

// plural returns word or word+"s".
func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// apiErrorText extracts the API's error text from an error body: the
// "error" field of {"status":"error","error":…} (app API) or
// {"error":…,"request":…} (query API), else "message" or "detail"; for a
// plain-text body its first characters. It is "" when there is none.
func apiErrorText(body []byte, contentType string) string {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return ""
	}
	if trimmed[0] == '{' {
		var obj map[string]json.RawMessage
		if json.Unmarshal(trimmed, &obj) == nil {
			for _, k := range []string{"error", "message", "detail", "error_description"} {
				if raw, ok := obj[k]; ok {
					if s := jsonText(raw); s != "" {
						return clip(s)
					}
				}
			}
			return ""
		}
	}
	if strings.HasPrefix(strings.ToLower(contentType), "text/plain") || contentType == "" {
		return clip(string(trimmed))
	}
	return ""
}

// jsonText renders a JSON value as text: a string as is, anything else as
// compact JSON.
func jsonText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var buf bytes.Buffer
	if json.Compact(&buf, raw) == nil && buf.String() != "null" {
		return buf.String()
	}
	return ""
}

// clip collapses whitespace, drops control characters and bounds the text.
func clip(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return ' '
		}
		if unicode.IsControl(r) || r == unicode.ReplacementChar {
			return -1
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > maxAPIErrorLen {
		s = string(r[:maxAPIErrorLen]) + "…"
	}
	return s
}

// redactor removes a credential's secret parts from text the server sent
// back (a misbehaving proxy may echo the request), before it reaches an
// error.
type redactor struct{ secrets []string }

// minRedactLen is the shortest secret part replaced (shorter ones would
// garble ordinary text and are not worth hiding from it).
const minRedactLen = 6

func newRedactor(cred domain.Credential) redactor {
	var r redactor
	if cred.IsZero() {
		return r
	}
	h := cred.AuthorizationHeader()
	add := func(s string) {
		if len(s) >= minRedactLen {
			r.secrets = append(r.secrets, s)
		}
	}
	add(h)
	scheme, rest, _ := strings.Cut(h, " ")
	add(rest)
	if scheme == "Basic" {
		if dec, err := base64.StdEncoding.DecodeString(rest); err == nil {
			add(string(dec))
			if _, secret, ok := strings.Cut(string(dec), ":"); ok {
				add(secret)
			}
		}
	}
	return r
}

// text returns s with every secret part replaced.
func (r redactor) text(s string) string {
	for _, sec := range r.secrets {
		s = strings.ReplaceAll(s, sec, "[REDACTED]")
	}
	return s
}

// jsonBody returns a JSON error body, redacted, for Details["body"]. ok is
// false when the body is not JSON or too large.
func (r redactor) jsonBody(body []byte) (json.RawMessage, bool) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || len(trimmed) > maxBodyDetail || !json.Valid(trimmed) {
		return nil, false
	}
	out := []byte(r.text(string(trimmed)))
	if !json.Valid(out) {
		return nil, false
	}
	return json.RawMessage(out), true
}
