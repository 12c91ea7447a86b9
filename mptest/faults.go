package mptest

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Fault is a misbehaviour the server shows instead of (or, for Delay,
// before) its normal answer. Build one with Status, RateLimit,
// RateLimitUntil, ServerError, Delay, CloseConnection or Body and queue it
// with Inject or InjectAlways.
type Fault struct {
	kind        faultKind
	status      int
	retryAfter  string // Retry-After value; "" = no header
	delay       time.Duration
	contentType string
	body        string
}

type faultKind int

const (
	faultStatus faultKind = iota + 1
	faultDelay
	faultClose
	faultBody
)

// Status answers with the status code and an error body in the route's
// usual shape (app, query or OAuth).
func Status(code int) Fault { return Fault{kind: faultStatus, status: code} }

// RateLimit answers 429 with "Retry-After: <seconds>"; a negative value
// sends no Retry-After header.
func RateLimit(retryAfterSeconds int) Fault {
	f := Fault{kind: faultStatus, status: http.StatusTooManyRequests}
	if retryAfterSeconds >= 0 {
		f.retryAfter = strconv.Itoa(retryAfterSeconds)
	}
	return f
}

// RateLimitUntil answers 429 with Retry-After as an HTTP-date.
func RateLimitUntil(t time.Time) Fault {
	return Fault{kind: faultStatus, status: http.StatusTooManyRequests, retryAfter: t.UTC().Format(http.TimeFormat)}
}

// ServerError answers with a 5xx status such as 502, 503 or 504 (a code
// outside 500–599 becomes 500).
func ServerError(code int) Fault {
	if code < 500 || code > 599 {
		code = http.StatusInternalServerError
	}
	return Fault{kind: faultStatus, status: code}
}

// Delay waits d (or until the request or server ends), then answers
// normally.
func Delay(d time.Duration) Fault { return Fault{kind: faultDelay, delay: d} }

// CloseConnection closes the TCP connection without answering, which a
// client sees as a transport error.
func CloseConnection() Fault { return Fault{kind: faultClose} }

// Body answers with exactly this status, content type and body (e.g. a
// non-JSON 200).
func Body(status int, contentType, body string) Fault {
	return Fault{kind: faultBody, status: status, contentType: contentType, body: body}
}

// String describes the fault, e.g. "429 Retry-After: 2".
func (f Fault) String() string {
	switch f.kind {
	case faultStatus:
		if f.retryAfter != "" {
			return fmt.Sprintf("%d Retry-After: %s", f.status, f.retryAfter)
		}
		return strconv.Itoa(f.status)
	case faultDelay:
		return "delay " + f.delay.String()
	case faultClose:
		return "close connection"
	case faultBody:
		return fmt.Sprintf("%d %s body (%d bytes)", f.status, f.contentType, len(f.body))
	}
	return "no fault"
}

// injection is faults queued for the requests a matcher selects.
type injection struct {
	m      matcher
	queue  []Fault
	always bool
	next   int // InjectAlways: index of the next fault in the cycle
}

// Inject queues faults for route (as accepted by Count: a Route constant
// or a concrete path, optionally with a region prefix). Each matching
// request consumes the next fault, in order; once they are used up
// requests are served normally again. Queued faults come before
// InjectAlways faults.
func (s *Server) Inject(route string, faults ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &injection{m: parseMatcher(route), queue: append([]Fault(nil), faults...)})
}

// InjectAlways makes every matching request show a fault, cycling through
// faults in order, until ClearFaults.
func (s *Server) InjectAlways(route string, faults ...Fault) {
	if len(faults) == 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &injection{m: parseMatcher(route), queue: append([]Fault(nil), faults...), always: true})
}

// ClearFaults removes every queued and persistent fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// PendingFaults returns how many queued (Inject) faults are not used yet.
func (s *Server) PendingFaults() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, in := range s.faults {
		if !in.always {
			n += len(in.queue)
		}
	}
	return n
}

// nextFault takes the fault due for a request, if any.
func (s *Server) nextFault(region, route, path string) (Fault, bool) {
	k := countKey{region: region, route: route, path: path}
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, in := range s.faults {
		if !in.always && len(in.queue) > 0 && in.m.match(k) {
			f := in.queue[0]
			in.queue = in.queue[1:]
			if len(in.queue) == 0 {
				s.faults = append(s.faults[:i], s.faults[i+1:]...)
			}
			return f, true
		}
	}
	for _, in := range s.faults {
		if in.always && in.m.match(k) {
			f := in.queue[in.next%len(in.queue)]
			in.next++
			return f, true
		}
	}
	return Fault{}, false
}

// apply shows a fault. It returns true when the request should then be
// served normally (after a Delay).
func (s *Server) apply(w http.ResponseWriter, r *http.Request, route string, f Fault) bool {
	switch f.kind {
	case faultDelay:
		t := time.NewTimer(f.delay)
		defer t.Stop()
		select {
		case <-t.C:
			return true
		case <-r.Context().Done():
		case <-s.done:
		}
		return false
	case faultClose:
		hj, ok := w.(http.Hijacker)
		if !ok {
			panic(http.ErrAbortHandler)
		}
		conn, _, err := hj.Hijack()
		if err != nil {
			panic(http.ErrAbortHandler)
		}
		_ = conn.Close()
		return false
	case faultBody:
		if f.contentType != "" {
			w.Header().Set("Content-Type", f.contentType)
		}
		w.WriteHeader(f.status)
		_, _ = w.Write([]byte(f.body))
		return false
	}
	if f.retryAfter != "" {
		w.Header().Set("Retry-After", f.retryAfter)
	}
	msg := http.StatusText(f.status)
	if msg == "" {
		msg = "status " + strconv.Itoa(f.status)
	}
	if f.status == http.StatusTooManyRequests {
		msg = "rate limit exceeded: too many requests, try again later"
	}
	path := info(r).path
	switch {
	case strings.HasPrefix(route, "/api/query/") || strings.Contains(path, "/api/query/"):
		queryError(w, r, f.status, msg)
	case strings.HasPrefix(route, "/oauth/") || strings.Contains(path, "/oauth/"):
		code := "invalid_request"
		if f.status == http.StatusTooManyRequests || f.status >= 500 {
			code = "temporarily_unavailable"
		}
		oauthError(w, f.status, code, msg)
	default:
		appError(w, f.status, msg)
	}
	return false
}
