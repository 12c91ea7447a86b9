package mp_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"testing"

	mp "github.com/mpdata/mp"
)

// TestHTTPClient: the handle's *http.Client calls any Mixpanel endpoint as
// the session (credentials, project, the sandbox standing in for the
// region's host), returns error statuses as responses, and refuses a host
// that is not Mixpanel's before sending anything.
func TestHTTPClient(t *testing.T) {
	f := newFixture(t, 1, 2)
	ctx := context.Background()
	ws := f.open(t)
	hc := ws.HTTPClient()
	get := func(url string) (*http.Response, []byte, error) {
		t.Helper()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := hc.Do(req)
		if err != nil {
			return nil, nil, err
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp, body, nil
	}

	resp, body, err := get("https://mixpanel.com/api/app/me")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /api/app/me = %v, %v", resp, err)
	}
	var me struct {
		Results struct {
			UserEmail string `json:"user_email"`
		} `json:"results"`
	}
	if err := json.Unmarshal(body, &me); err != nil || me.Results.UserEmail != f.fleet[0].Email {
		t.Fatalf("/me body %s (%v), want the session's user %s", body, err, f.fleet[0].Email)
	}

	// The session's project is added; a switch of the handle moves the client.
	resp, _, err = get("https://mixpanel.com/api/query/segmentation?event=Login&from_date=2026-01-01&to_date=2026-01-07")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("segmentation = %v, %v", resp, err)
	}
	if err := ws.Use(ctx, mp.WithProject(f.project(0, 1))); err != nil {
		t.Fatal(err)
	}
	if _, _, err := get("https://mixpanel.com/api/query/segmentation?event=Login&from_date=2026-01-01&to_date=2026-01-07"); err != nil {
		t.Fatal(err)
	}
	reqs := f.srv.Requests()
	last := reqs[len(reqs)-1]
	if last.Query.Get("project_id") != string(f.project(0, 1)) {
		t.Fatalf("project_id of the last request = %q, want the switched-to %s", last.Query.Get("project_id"), f.project(0, 1))
	}

	// An error status is a response, with Mixpanel's answer.
	resp, _, err = get("https://mixpanel.com/api/app/projects/999999/workspaces/public")
	if err != nil || resp.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown project = %v, %v; want a 404 response", resp, err)
	}

	// Another host: refused, nothing sent.
	before := len(f.srv.Requests())
	_, _, err = get("https://mixpanel.com.evil.example/api/app/me")
	var e *mp.Error
	if !errors.As(err, &e) || e.Code() != mp.CodeInvalidArgument {
		t.Fatalf("another host = %v, want INVALID_ARGUMENT", err)
	}
	if n := len(f.srv.Requests()); n != before {
		t.Fatalf("%d requests reached the sandbox for another host", n-before)
	}
}
