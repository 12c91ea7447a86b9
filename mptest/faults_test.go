package mptest_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mpdata/mp/mptest"
)

func TestFaultKinds(t *testing.T) {
	until := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, tc := range []struct {
		name       string
		route      string
		path       string
		fault      mptest.Fault
		status     int
		retryAfter string
		check      func(t *testing.T, a answer)
	}{
		{
			"status on the app API", mptest.RouteMe, "/api/app/me", mptest.Status(404), 404, "",
			func(t *testing.T, a answer) { wantAppError(t, a, 404) },
		},
		{
			"rate limit in seconds", mptest.RouteSegmentation, "/api/query/segmentation?" + segParams().Encode(), mptest.RateLimit(2), 429, "2",
			func(t *testing.T, a answer) { wantQueryError(t, a, 429) },
		},
		{"rate limit without Retry-After", mptest.RouteMe, "/api/app/me", mptest.RateLimit(-1), 429, "", nil},
		{"rate limit until a date", mptest.RouteEventNames, "/api/query/events/names?project_id=3713224", mptest.RateLimitUntil(until), 429, "Wed, 02 Jan 2030 03:04:05 GMT", nil},
		{"502", mptest.RouteMe, "/api/app/me", mptest.ServerError(502), 502, "", nil},
		{"503", mptest.RouteMe, "/api/app/me", mptest.ServerError(503), 503, "", nil},
		{"504", mptest.RouteMe, "/api/app/me", mptest.ServerError(504), 504, "", nil},
		{"non-5xx server error becomes 500", mptest.RouteMe, "/api/app/me", mptest.ServerError(200), 500, "", nil},
		{
			"status on OAuth", mptest.RouteToken, "/oauth/token/", mptest.ServerError(503), 503, "",
			func(t *testing.T, a answer) { wantOAuthError(t, a, 503, "temporarily_unavailable") },
		},
		{
			"non-JSON 200", mptest.RouteMe, "/api/app/me", mptest.Body(200, "text/html", "<html>maintenance</html>"), 200, "",
			func(t *testing.T, a answer) {
				if string(a.body) != "<html>maintenance</html>" || a.header.Get("Content-Type") != "text/html" {
					t.Errorf("body %q, content type %q", a.body, a.header.Get("Content-Type"))
				}
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := mptest.NewServer(t)
			srv.Inject(tc.route, tc.fault)
			method := http.MethodGet
			if strings.HasPrefix(tc.path, "/oauth/") {
				method = http.MethodPost
			}
			a := send(t, http.DefaultClient, method, srv.URL()+tc.path, demo, "application/x-www-form-urlencoded", nil)
			wantStatus(t, a, tc.status)
			if got := a.header.Get("Retry-After"); got != tc.retryAfter {
				t.Errorf("Retry-After = %q, want %q", got, tc.retryAfter)
			}
			if tc.check != nil {
				tc.check(t, a)
			}
			if srv.PendingFaults() != 0 {
				t.Errorf("fault not consumed")
			}
			if method == http.MethodGet {
				wantStatus(t, send(t, http.DefaultClient, method, srv.URL()+tc.path, demo, "", nil), http.StatusOK)
			}
		})
	}
}

func TestFaultCloseConnection(t *testing.T) {
	srv := mptest.NewServer(t)
	srv.Inject(mptest.RouteMe, mptest.CloseConnection())
	c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	req, _ := http.NewRequest(http.MethodGet, srv.URL()+"/api/app/me", nil)
	demo(req)
	if resp, err := c.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("status %d, want a transport error", resp.StatusCode)
	}
	if got := srv.Count(mptest.RouteMe); got != 1 {
		t.Fatalf("Count = %d, want 1 (no hidden retry)", got)
	}
	wantStatus(t, get(t, srv, "/api/app/me", demo), http.StatusOK)
}

func TestFaultDelay(t *testing.T) {
	srv := mptest.NewServer(t)
	srv.Inject(mptest.RouteMe, mptest.Delay(30*time.Millisecond))
	start := time.Now()
	wantStatus(t, get(t, srv, "/api/app/me", demo), http.StatusOK)
	if elapsed := time.Since(start); elapsed < 30*time.Millisecond {
		t.Fatalf("answered after %v, before the 30 ms delay", elapsed)
	}

	// A client that gives up ends the delay; Close does not wait for it.
	srv.Inject(mptest.RouteMe, mptest.Delay(time.Hour))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL()+"/api/app/me", nil)
	demo(req)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatal("a request delayed by an hour answered")
	} else if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the deadline", err)
	}
}

func TestShutdownAbortsDelays(t *testing.T) {
	srv, err := mptest.Start()
	if err != nil {
		t.Fatal(err)
	}
	srv.InjectAlways(mptest.RouteMe, mptest.Delay(time.Hour))
	done := make(chan struct{})
	go func() {
		defer close(done)
		req, _ := http.NewRequest(http.MethodGet, srv.URL()+"/api/app/me", nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
	}()
	for srv.Count(mptest.RouteMe) == 0 {
		time.Sleep(time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	<-done
}

func TestFaultsAreConsumedInOrder(t *testing.T) {
	srv := mptest.NewServer(t)
	srv.Inject(mptest.RouteMe, mptest.ServerError(503), mptest.RateLimit(1), mptest.Status(500))
	if got := srv.PendingFaults(); got != 3 {
		t.Fatalf("PendingFaults = %d, want 3", got)
	}
	for _, want := range []int{503, 429, 500, 200, 200} {
		wantStatus(t, get(t, srv, "/api/app/me", demo), want)
	}
	if got := srv.PendingFaults(); got != 0 {
		t.Fatalf("PendingFaults = %d, want 0", got)
	}
}

func TestFaultsMatchRegionsAndPaths(t *testing.T) {
	srv := mptest.NewServer(t)
	srv.Inject("/eu"+mptest.RouteMe, mptest.Status(503))
	srv.Inject("/api/app/projects/3018488/workspaces/public", mptest.Status(502))
	wantStatus(t, get(t, srv, "/us/api/app/me", demo), http.StatusOK)
	wantStatus(t, get(t, srv, "/api/app/me", demo), http.StatusOK)
	wantStatus(t, get(t, srv, "/api/app/projects/3713224/workspaces/public", demo), http.StatusOK)
	wantStatus(t, get(t, srv, "/us/api/app/projects/3018488/workspaces/public", demo), http.StatusBadGateway)
	wantStatus(t, get(t, srv, "/eu/api/app/me", basic(mptest.DemoEUUsername, mptest.DemoEUSecret)), http.StatusServiceUnavailable)
	wantStatus(t, get(t, srv, "/eu/api/app/me", basic(mptest.DemoEUUsername, mptest.DemoEUSecret)), http.StatusOK)
}

func TestInjectAlwaysCyclesUntilCleared(t *testing.T) {
	srv := mptest.NewServer(t)
	srv.Inject(mptest.RouteMe, mptest.Status(500))
	srv.InjectAlways(mptest.RouteMe, mptest.RateLimit(1), mptest.ServerError(503))
	for _, want := range []int{500, 429, 503, 429, 503} {
		wantStatus(t, get(t, srv, "/api/app/me", demo), want)
	}
	srv.ClearFaults()
	wantStatus(t, get(t, srv, "/api/app/me", demo), http.StatusOK)
}

func TestInjectIsSafeForConcurrentUse(t *testing.T) {
	srv := mptest.NewServer(t)
	const n = 20
	faults := make([]mptest.Fault, n)
	for i := range faults {
		faults[i] = mptest.ServerError(503)
	}
	srv.Inject(mptest.RouteMe, faults...)
	var wg sync.WaitGroup
	var mu sync.Mutex
	statuses := map[int]int{}
	for range 2 * n {
		wg.Go(func() {
			req, _ := http.NewRequest(http.MethodGet, srv.URL()+"/api/app/me", nil)
			demo(req)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			mu.Lock()
			statuses[resp.StatusCode]++
			mu.Unlock()
		})
	}
	wg.Wait()
	if statuses[503] != n || statuses[200] != n {
		t.Fatalf("statuses = %v, want %d × 503 and %d × 200", statuses, n, n)
	}
}

func TestFaultString(t *testing.T) {
	for _, tc := range []struct {
		f    mptest.Fault
		want string
	}{
		{mptest.RateLimit(3), "429 Retry-After: 3"},
		{mptest.ServerError(502), "502"},
		{mptest.Delay(time.Second), "delay 1s"},
		{mptest.CloseConnection(), "close connection"},
		{mptest.Body(200, "text/plain", "abc"), "200 text/plain body (3 bytes)"},
	} {
		if got := tc.f.String(); got != tc.want {
			t.Errorf("String() = %q, want %q", got, tc.want)
		}
	}
}
