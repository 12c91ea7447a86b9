package oauthflow

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// FuzzCallback: whatever the query and Host header, a request ends the
// login only when it is GET /callback on a loopback Host with the port and
// carries exactly this login's state (and then with a code or a denial);
// the page of a refused request never echoes the state.
func FuzzCallback(f *testing.F) {
	for _, seed := range []struct{ host, query string }{
		{"localhost:19284", "code=c&state=" + expectedState},
		{"localhost:19284", "error=access_denied"},
		{"localhost:19284", "error=access_denied&state=" + expectedState},
		{"127.0.0.1:19284", "code=c&state=" + expectedState + "&state=x"},
		{"evil.example:19284", "code=c&state=" + expectedState},
		{"[::1]:19284", "code=&state=" + expectedState},
		{"localhost:19284", "code=c&state=%00" + expectedState},
		{"LOCALHOST:19284", "state=" + strings.ToLower(expectedState) + "&code=c"},
	} {
		f.Add(seed.host, seed.query)
	}
	f.Fuzz(func(t *testing.T, host, rawQuery string) {
		h := newHandler()
		req := httptest.NewRequest(http.MethodGet, "http://localhost:19284/callback", nil)
		req.URL.RawQuery = rawQuery
		req.Host = host
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		o, ended := delivered(h.won)
		q, _ := url.ParseQuery(rawQuery)
		may := loopbackHost(host, 19284) && q.Get("state") == expectedState && (q.Get("code") != "" || q.Get("error") != "")
		if ended && !may {
			t.Fatalf("Host %q, query %q ended the login: %+v", host, rawQuery, o)
		}
		if !ended && may {
			t.Fatalf("Host %q, query %q did not end the login (status %d)", host, rawQuery, rec.Code)
		}
		// A refused request's page never echoes the state (a denial's page
		// shows the provider's own text, which may hold anything).
		if !ended && strings.Contains(rec.Body.String(), expectedState) {
			t.Fatalf("the page echoes the state")
		}
	})
}
