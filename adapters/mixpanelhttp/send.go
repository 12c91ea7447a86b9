package mixpanelhttp

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

	"go.uber.org/zap"

	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
)

// call is one logical request, sent up to MaxAttempts times.
type call struct {
	scope  domain.Scope
	method string
	path   string // starts with /api/app/ or /api/query/; no query string
	query  url.Values
	body   []byte
	// contentType of body; empty when there is none.
	contentType string
	// projectScoped makes a 404 mean PROJECT_NOT_FOUND (for raw calls only
	// when the 404 comes with a JSON body: a plain 404 is an unknown path).
	projectScoped bool
	// raw keeps a JSON error body in the error's details (Do).
	raw bool
}

// response is a fully read answer.
type response struct {
	status      int
	contentType string
	header      http.Header
	body        []byte
	attempts    int
}

// transportError is a failure to get an answer; permanent marks one that
// retrying cannot fix. redirect, tooLarge and stalled say which failure it
// is when it is not a plain network one.
type transportError struct {
	err       error
	permanent bool
	redirect  *RedirectError // a redirect refused (another origin, a loop)
	tooLarge  bool           // the answer exceeded maxBodyBytes
	stalled   bool           // the body stalled longer than the idle bound
	status    int            // the status of an answer that arrived
}

// errBodyStalled cancels an attempt whose body stalled.
var errBodyStalled = errors.New("the answer stalled")

func (e *transportError) Error() string { return e.err.Error() }
func (e *transportError) Unwrap() error { return e.err }

// send runs c's retry loop. It returns the answer for a 2xx status; for any
// other status it returns the answer too (when one arrived) with a
// *domain.Error. A context that ends returns the context's error, wrapped.
func (c *Client) send(ctx context.Context, cl *call) (*response, error) {
	origin, err := c.origin(cl.scope.Region)
	if err != nil {
		return nil, err
	}
	if cl.scope.Credential.IsZero() {
		return nil, c.noCredential(cl)
	}
	target := origin + cl.path
	if len(cl.query) > 0 {
		target += "?" + cl.query.Encode()
	}
	parent := ctx
	if c.timeout > 0 {
		// Without a user setting this is DefaultCallTimeout.
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.timeout)
		defer cancel()
	}
	retryable := cl.method == http.MethodGet || cl.method == http.MethodHead
	progress := ports.ProgressFrom(parent)
	info := ports.CallInfo{Method: cl.method, Path: cl.path, Account: cl.scope.Account, Project: cl.scope.Project}
	if progress != nil && progress.CallStart != nil {
		progress.CallStart(info)
	}
	if progress != nil && progress.CallDone != nil {
		defer progress.CallDone(info)
	}
	for attempt := 1; ; attempt++ {
		resp, terr := c.attempt(ctx, cl, target, attempt)
		if err := parent.Err(); err != nil {
			return nil, fmt.Errorf("%s %s: %w", cl.method, cl.path, err)
		}
		var final error
		var delay time.Duration
		switch {
		case terr != nil && terr.redirect != nil:
			return nil, c.redirectError(cl, terr.redirect, attempt)
		case terr != nil && terr.tooLarge:
			return nil, c.tooLargeError(cl, origin, terr.status, attempt)
		case terr != nil:
			final = c.networkError(ctx, cl, origin, terr, attempt)
			if !retryable || terr.permanent || ctx.Err() != nil {
				return nil, final
			}
			delay = c.backoff(attempt)
		case resp.status >= 200 && resp.status < 300:
			return resp, nil
		default:
			final = c.statusError(cl, resp)
			if !retryable || !retryableStatus(resp.status) {
				return resp, final
			}
			ra, ok := retryAfter(resp.header, c.now())
			if ok && ra > MaxRetryAfter {
				return resp, final
			}
			delay = c.backoff(attempt)
			if ok {
				delay = ra
			}
		}
		if attempt >= MaxAttempts {
			if resp != nil {
				return resp, final
			}
			return nil, final
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < delay {
			// The retry could not happen in time: report what we have now.
			if resp != nil {
				return resp, final
			}
			return nil, final
		}
		if progress != nil && progress.Retry != nil {
			progress.Retry(ports.RetryInfo{
				Call: info, Attempt: attempt + 1, MaxAttempts: MaxAttempts, Wait: delay,
				Status: statusOf(resp), Reason: retryReason(resp, terr),
			})
		}
		c.log.Debug("mixpanel retry",
			zap.String("method", cl.method), zap.String("path", cl.path),
			zap.Int("attempt", attempt), zap.Duration("delay", delay))
		if err := c.sleep(ctx, delay); err != nil {
			if perr := parent.Err(); perr != nil {
				return nil, fmt.Errorf("%s %s: %w", cl.method, cl.path, perr)
			}
			if resp != nil {
				return resp, final
			}
			return nil, final
		}
	}
}

// attempt sends the request once and reads the whole answer, so the
// connection goes back to the pool. A body that stalls for longer than
// c.idle ends the attempt.
func (c *Client) attempt(ctx context.Context, cl *call, target string, attempt int) (*response, *transportError) {
	var body io.Reader
	if cl.body != nil {
		body = bytes.NewReader(cl.body)
	}
	actx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	req, err := http.NewRequestWithContext(actx, cl.method, target, body)
	if err != nil {
		return nil, &transportError{err: err, permanent: true}
	}
	c.setHeaders(req, cl)
	start := time.Now()
	res, err := c.http.Do(req)
	if err != nil {
		c.log.Debug("mixpanel request",
			zap.String("method", cl.method), zap.String("path", cl.path),
			zap.Int("attempt", attempt), zap.Duration("duration", time.Since(start)),
			zap.String("error", safeTransportText(err)))
		if re, ok := asRedirect(err); ok {
			return nil, &transportError{err: err, permanent: true, redirect: re}
		}
		return nil, &transportError{err: err, permanent: isPermanent(err)}
	}
	idle := time.AfterFunc(c.idle, func() { cancel(errBodyStalled) })
	data, rerr := io.ReadAll(&idleReader{r: io.LimitReader(res.Body, maxBodyBytes+1), timer: idle, d: c.idle})
	idle.Stop()
	_ = res.Body.Close()
	c.log.Debug("mixpanel request",
		zap.String("method", cl.method), zap.String("path", cl.path),
		zap.Int("status", res.StatusCode), zap.Int("attempt", attempt),
		zap.Duration("duration", time.Since(start)), zap.Int("bytes", len(data)))
	if rerr != nil {
		if errors.Is(context.Cause(actx), errBodyStalled) {
			return nil, &transportError{
				err:     fmt.Errorf("the answer stopped arriving for %s: %w", c.idle, errBodyStalled),
				stalled: true, status: res.StatusCode,
			}
		}
		return nil, &transportError{err: fmt.Errorf("reading the answer: %w", rerr)}
	}
	if len(data) > maxBodyBytes {
		return nil, &transportError{
			err:       fmt.Errorf("the answer is larger than %d MiB", maxBodyBytes>>20),
			permanent: true, tooLarge: true, status: res.StatusCode,
		}
	}
	return &response{
		status:      res.StatusCode,
		contentType: res.Header.Get("Content-Type"),
		header:      res.Header,
		body:        data,
		attempts:    attempt,
	}, nil
}

// idleReader restarts timer (which abandons the attempt when it fires)
// each time a read brings bytes: only a stall of d ends the attempt, not a
// slow but steady answer.
type idleReader struct {
	r     io.Reader
	timer *time.Timer
	d     time.Duration
}

func (r *idleReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if n > 0 {
		r.timer.Reset(r.d)
	}
	return n, err
}

// setHeaders layers the headers, low to high: User-Agent, Accept, the
// scope's headers, the call's Content-Type, Authorization.
func (c *Client) setHeaders(req *http.Request, cl *call) {
	h := req.Header
	h.Set("User-Agent", c.ua)
	h.Set("Accept", "application/json")
	for _, sh := range cl.scope.Headers {
		if sh.Name == "" {
			continue
		}
		h.Set(sh.Name, sh.Value)
	}
	if cl.contentType != "" {
		h.Set("Content-Type", cl.contentType)
	}
	h.Set("Authorization", cl.scope.Credential.AuthorizationHeader())
}

// retryableStatus reports whether a status is worth another attempt.
func retryableStatus(status int) bool {
	switch status {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// backoff returns the jittered wait after the given attempt:
// BaseBackoff·2^(attempt-1) times a factor in [0.5, 1.5).
func (c *Client) backoff(attempt int) time.Duration {
	nominal := BaseBackoff << (attempt - 1)
	f := 0.5 + c.rand()
	return time.Duration(float64(nominal) * f)
}

// retryAfter reads a Retry-After header in seconds or HTTP-date form. ok is
// false when there is none or it cannot be read. A date in the past is a
// zero wait.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > math.MaxInt64/int64(time.Second) {
			secs = math.MaxInt64 / int64(time.Second)
		}
		return time.Duration(secs) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	d := t.Sub(now)
	if d < 0 {
		d = 0
	}
	return d, true
}

// retryAfterSeconds returns the wait to suggest after a final 429: the
// server's Retry-After rounded up to whole seconds (0 stays 0), else the
// next backoff.
func (c *Client) retryAfterSeconds(r *response) int64 {
	d, ok := retryAfter(r.header, c.now())
	if !ok {
		d = BaseBackoff << (r.attempts - 1)
	}
	secs := int64((d + time.Second - 1) / time.Second)
	if secs < 0 {
		secs = 0
	}
	return secs
}

// isPermanent reports whether a transport error cannot be fixed by
// retrying (a bad certificate, a malformed URL).
func isPermanent(err error) bool {
	var (
		unknownAuthority x509.UnknownAuthorityError
		hostname         x509.HostnameError
		invalid          x509.CertificateInvalidError
	)
	return errors.As(err, &unknownAuthority) || errors.As(err, &hostname) || errors.As(err, &invalid)
}

// statusOf is the status of an answer, 0 when none arrived.
func statusOf(resp *response) int {
	if resp == nil {
		return 0
	}
	return resp.status
}

// retryReason says in a few words why an attempt failed (for
// ports.RetryInfo): the status of an answer, else the kind of network
// failure. No URL, no credential.
func retryReason(resp *response, terr *transportError) string {
	var dnsErr *net.DNSError
	var netErr net.Error
	switch {
	case resp != nil:
		return fmt.Sprintf("HTTP %d", resp.status)
	case terr == nil:
		return "failed"
	case terr.stalled:
		return "the answer stalled"
	case errors.As(terr.err, &dnsErr):
		return "the host name did not resolve"
	case errors.Is(terr.err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.As(terr.err, &netErr) && netErr.Timeout():
		return "timed out"
	default:
		return "network error"
	}
}
