package mptest_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/mpdata/mp/mptest"
)

// auth sets a credential on a request.
type auth func(*http.Request)

// basic is HTTP Basic authentication.
func basic(user, secret string) auth {
	return func(r *http.Request) { r.SetBasicAuth(user, secret) }
}

// bearer is Bearer authentication.
func bearer(token string) auth {
	return func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+token) }
}

// demo authenticates as the us demo service account.
func demo(r *http.Request) { r.SetBasicAuth(mptest.DemoUsername, mptest.DemoSecret) }

// answer is a response read whole.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// noRedirect is a client that returns redirects instead of following them.
func noRedirect() *http.Client {
	return &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// send makes one request over loopback and reads the answer.
func send(t *testing.T, c *http.Client, method, rawURL string, a auth, contentType string, body io.Reader) answer {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), method, rawURL, body)
	if err != nil {
		t.Fatal(err)
	}
	if a != nil {
		a(req)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, rawURL, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading body: %v", method, rawURL, err)
	}
	return answer{status: resp.StatusCode, header: resp.Header, body: b}
}

// get sends a GET to srv.URL()+path.
func get(t *testing.T, srv *mptest.Server, path string, a auth) answer {
	t.Helper()
	return send(t, http.DefaultClient, http.MethodGet, srv.URL()+path, a, "", nil)
}

// postForm sends a form-encoded POST without following redirects.
func postForm(t *testing.T, srv *mptest.Server, path string, form url.Values) answer {
	t.Helper()
	return send(t, noRedirect(), http.MethodPost, srv.URL()+path, nil, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
}

// decode unmarshals the answer's body, failing the test on error.
func decode[T any](t *testing.T, a answer) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(a.body, &v); err != nil {
		t.Fatalf("body is not the expected JSON (%v): %s", err, a.body)
	}
	return v
}

// wantStatus fails the test when the status differs.
func wantStatus(t *testing.T, a answer, want int) {
	t.Helper()
	if a.status != want {
		t.Fatalf("status = %d, want %d; body: %s", a.status, want, a.body)
	}
}

// appErr is the app API's error shape.
type appErr struct {
	Status string `json:"status"`
	Error  string `json:"error"`
}

// queryErr is the query API's error shape.
type queryErr struct {
	Error   string `json:"error"`
	Request string `json:"request"`
}

// oauthErr is the OAuth error shape.
type oauthErr struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

// wantAppError checks status and the {"status":"error","error":…} shape.
func wantAppError(t *testing.T, a answer, status int) appErr {
	t.Helper()
	wantStatus(t, a, status)
	e := decode[appErr](t, a)
	if e.Status != "error" || e.Error == "" {
		t.Fatalf("error body = %s, want {\"status\":\"error\",\"error\":…}", a.body)
	}
	return e
}

// wantQueryError checks status and the {"error":…,"request":…} shape.
func wantQueryError(t *testing.T, a answer, status int) queryErr {
	t.Helper()
	wantStatus(t, a, status)
	e := decode[queryErr](t, a)
	if e.Error == "" || e.Request == "" {
		t.Fatalf("error body = %s, want {\"error\":…,\"request\":…}", a.body)
	}
	return e
}
