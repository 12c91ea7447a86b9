package mixpanelhttp_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mpdata/mp/adapters/mixpanelhttp"
	"github.com/mpdata/mp/domain"
)

// meBody is a minimal valid /me answer.
const meBody = `{"status":"ok","results":{"user_id":1,"user_email":"a@example.com","projects":{},"workspaces":{}}}`

// recorder is a server that records every request it gets (method, path
// and the headers that carry credentials).
type recorder struct {
	srv  *httptest.Server
	mu   sync.Mutex
	seen []string
}

func (r *recorder) record(req *http.Request) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seen = append(r.seen, req.Method+" "+req.URL.Path+" auth="+req.Header.Get("Authorization")+" custom="+req.Header.Get("X-Tenant"))
}

func (r *recorder) requests() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.seen...)
}

// startOn starts h on addr ("127.0.0.1:0", "127.0.0.2:0"), TLS when tls.
func startOn(t *testing.T, addr string, tls bool, h http.HandlerFunc) *recorder {
	t.Helper()
	l, err := net.Listen("tcp", addr)
	if err != nil {
		t.Skipf("cannot listen on %s: %v", addr, err)
	}
	rec := &recorder{}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		rec.record(req)
		h(w, req)
	}))
	_ = srv.Listener.Close()
	srv.Listener = l
	if tls {
		srv.StartTLS()
	} else {
		srv.Start()
	}
	t.Cleanup(srv.Close)
	rec.srv = srv
	return rec
}

// redirectTo answers every request with status and Location target+path.
func redirectTo(status int, target func() string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", target()+r.URL.Path)
		w.WriteHeader(status)
	}
}

func serveMe(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, meBody)
}

// A redirect to another origin — another port, another loopback address,
// https to http on the same host — is refused before anything reaches it:
// HTTP_ERROR naming both origins, after one attempt, and the other origin
// sees no request at all (so neither Authorization nor a custom header).
func TestRedirectToAnotherOriginIsRefused(t *testing.T) {
	tests := []struct {
		name      string
		fromAddr  string
		fromTLS   bool
		toAddr    string
		status    int
		sameHostT bool // the target's host is the source's (scheme or port differs)
	}{
		{"302 to another port", "127.0.0.1:0", false, "127.0.0.1:0", http.StatusFound, true},
		{"307 to 127.0.0.2", "127.0.0.1:0", false, "127.0.0.2:0", http.StatusTemporaryRedirect, false},
		{"301 from https to http", "127.0.0.1:0", true, "127.0.0.1:0", http.StatusMovedPermanently, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			to := startOn(t, tt.toAddr, false, serveMe)
			from := startOn(t, tt.fromAddr, tt.fromTLS, redirectTo(tt.status, func() string { return to.srv.URL }))
			var hc *http.Client
			if tt.fromTLS {
				hc = from.srv.Client()
			}
			s := &sleeps{}
			c := mixpanelhttp.New(mixpanelhttp.Options{BaseURL: from.srv.URL, HTTPClient: hc, Sleep: s.sleep})
			scope := usScope()
			scope.Headers = []domain.Header{{Name: "X-Tenant", Value: "tenant-secret"}}
			_, err := c.Me(context.Background(), scope)
			de := domainErr(t, err, domain.CodeHTTPError)
			fromOrigin, toOrigin := from.srv.URL, to.srv.URL
			if !strings.Contains(de.Message, fromOrigin) || !strings.Contains(de.Message, toOrigin) {
				t.Errorf("message %q does not name both %s and %s", de.Message, fromOrigin, toOrigin)
			}
			if de.Details["redirect_origin"] != toOrigin || de.Details["origin"] != fromOrigin {
				t.Errorf("details %v", de.Details)
			}
			if got := to.requests(); len(got) != 0 {
				t.Errorf("the other origin received %q", got)
			}
			if got := from.requests(); len(got) != 1 {
				t.Errorf("the origin received %d requests, want 1 (not retried): %q", len(got), got)
			}
			if len(s.got()) != 0 {
				t.Errorf("a refused redirect was retried (waits %v)", s.got())
			}
		})
	}
}

// A redirect within the origin is followed, with the credentials (the
// server asked for them at its own address).
func TestSameOriginRedirectIsFollowed(t *testing.T) {
	var hits atomic.Int32
	srv := startOn(t, "127.0.0.1:0", false, func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) == 1 {
			http.Redirect(w, r, "/api/app/me?moved=1", http.StatusTemporaryRedirect)
			return
		}
		serveMe(w, r)
	})
	c := mixpanelhttp.New(mixpanelhttp.Options{BaseURL: srv.srv.URL})
	if _, err := c.Me(context.Background(), usScope()); err != nil {
		t.Fatal(err)
	}
	got := srv.requests()
	if len(got) != 2 || !strings.Contains(got[1], "auth=Basic ") {
		t.Fatalf("requests %q, want two, the second with the credentials", got)
	}
}

// A redirect loop is not transient: reported after one attempt (the
// server sees MaxRedirects requests, not MaxAttempts times as many), with
// HTTP_ERROR saying it is a loop.
func TestRedirectLoopIsNotRetried(t *testing.T) {
	srv := startOn(t, "127.0.0.1:0", false, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/api/app/me", http.StatusFound)
	})
	s := &sleeps{}
	c := mixpanelhttp.New(mixpanelhttp.Options{BaseURL: srv.srv.URL, Sleep: s.sleep})
	_, err := c.Me(context.Background(), usScope())
	de := domainErr(t, err, domain.CodeHTTPError)
	if !strings.Contains(de.Message, "redirect loop") {
		t.Errorf("message %q does not say it is a redirect loop", de.Message)
	}
	if n := len(srv.requests()); n != mixpanelhttp.MaxRedirects {
		t.Errorf("the server saw %d requests, want %d (one attempt)", n, mixpanelhttp.MaxRedirects)
	}
	if len(s.got()) != 0 {
		t.Errorf("a redirect loop was retried (waits %v)", s.got())
	}
}

// An answer beyond the size limit (here 100 MB of /me) is INVALID_RESPONSE
// naming the limit and the endpoint, not a network or TLS problem, and is
// not retried.
func TestOversizeAnswerIsInvalidResponse(t *testing.T) {
	srv := startOn(t, "127.0.0.1:0", false, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		chunk := []byte(strings.Repeat(" ", 1<<20))
		_, _ = io.WriteString(w, `{"status":"ok","results":`)
		for range 100 {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
		_, _ = io.WriteString(w, `{}}`)
	})
	s := &sleeps{}
	c := mixpanelhttp.New(mixpanelhttp.Options{BaseURL: srv.srv.URL, Sleep: s.sleep})
	_, err := c.Me(context.Background(), usScope())
	de := domainErr(t, err, domain.CodeInvalidResponse)
	for _, want := range []string{"64 MiB", "/api/app/me"} {
		if !strings.Contains(de.Message, want) {
			t.Errorf("message %q lacks %q", de.Message, want)
		}
	}
	for _, bad := range []string{"TLS", "certificate", "safely"} {
		if strings.Contains(de.Message+" "+de.Hint, bad) {
			t.Errorf("message %q / hint %q mention %q", de.Message, de.Hint, bad)
		}
	}
	if n := len(srv.requests()); n != 1 || len(s.got()) != 0 {
		t.Errorf("%d requests, waits %v: an oversize answer was retried", n, s.got())
	}
}

// A body that stalls after the headers ends the attempt after the idle
// bound (as a retried network timeout), instead of waiting forever.
func TestStalledBodyIsBounded(t *testing.T) {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	srv := startOn(t, "127.0.0.1:0", false, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		_, _ = io.WriteString(w, `{"status":"ok","results":`)
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	s := &sleeps{}
	c := mixpanelhttp.New(mixpanelhttp.Options{
		BaseURL: srv.srv.URL, Sleep: func(ctx context.Context, d time.Duration) error {
			_ = s.sleep(ctx, d)
			return nil
		},
		IdleTimeout: 20 * time.Millisecond,
	})
	_, err := c.Me(context.Background(), usScope())
	de := domainErr(t, err, domain.CodeNetworkUnreachable)
	if !strings.Contains(de.Message, "stopped sending") || de.Details["timeout"] != true {
		t.Errorf("message %q, details %v", de.Message, de.Details)
	}
	if n := len(srv.requests()); n != mixpanelhttp.MaxAttempts {
		t.Errorf("%d attempts, want %d (a stall is transient)", n, mixpanelhttp.MaxAttempts)
	}
}
