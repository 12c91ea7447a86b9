package mixpanelhttp_test

import (
	"context"
	"encoding/base64"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mpdata/mp/adapters/mixpanelhttp"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/mptest"
)

func TestMe(t *testing.T) {
	tests := []struct {
		name      string
		scope     domain.Scope
		wantEmail string
		wantProjs int
		wantFirst string // first organisation
	}{
		{"us service account", usScope(), mptest.DemoUsername + "@serviceaccount.mixpanel.com", 3, "Acme Corp"},
		{"eu service account", euScope(), mptest.DemoEUUsername + "@serviceaccount.mixpanel.com", 1, "Globex Europe"},
		{"us bearer token", tokenScope(), "jo@example.com", 5, "Acme Corp"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, nil)
			me, err := h.client.Me(context.Background(), tt.scope)
			if err != nil {
				t.Fatal(err)
			}
			if me.User.Email != tt.wantEmail || len(me.Projects) != tt.wantProjs {
				t.Errorf("me = %s with %d projects, want %s with %d", me.User.Email, len(me.Projects), tt.wantEmail, tt.wantProjs)
			}
			if len(me.Organizations) == 0 || me.Organizations[0].Name != tt.wantFirst {
				t.Errorf("organisations %+v, want %s first", me.Organizations, tt.wantFirst)
			}
			if strings.Contains(string(me.Raw), "member_list") {
				t.Error("Raw keeps the workspaces' member lists")
			}
			req := lastRequest(t, h.srv, mptest.RouteMe)
			if req.Region != string(tt.scope.Region) {
				t.Errorf("request went to region prefix %q, want %q", req.Region, tt.scope.Region)
			}
			if req.Query.Has("project_id") {
				t.Error("/me was sent a project_id")
			}
			assertLogsClean(t, h.logs)
		})
	}
}

func TestRegionRouting(t *testing.T) {
	tests := []struct {
		name   string
		scope  func() domain.Scope
		region domain.Region
		ok     bool
	}{
		{"us credential on us", usScope, domain.RegionUS, true},
		{"us credential on eu", usScope, domain.RegionEU, false},
		{"eu credential on eu", euScope, domain.RegionEU, true},
		{"eu credential on us", euScope, domain.RegionUS, false},
		{"eu credential on in", euScope, domain.RegionIN, false},
		{"token on us", tokenScope, domain.RegionUS, true},
		{"token on in", tokenScope, domain.RegionIN, false},
	}
	h := newHarness(t, nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			scope := tt.scope()
			scope.Region = tt.region
			before := h.srv.Count("/" + string(tt.region) + mptest.RouteMe)
			_, err := h.client.Me(context.Background(), scope)
			if got := h.srv.Count("/" + string(tt.region) + mptest.RouteMe); got != before+1 {
				t.Errorf("requests under /%s: %d, want %d", tt.region, got, before+1)
			}
			if tt.ok {
				if err != nil {
					t.Fatalf("Me: %v", err)
				}
				return
			}
			de := domainErr(t, err, domain.CodeAuthFailed)
			want := "credentials for account '" + string(scope.Account) + "' are invalid (HTTP 401 from /api/app/me)"
			if !strings.Contains(de.Message, want) {
				t.Errorf("message %q does not say %q", de.Message, want)
			}
			if !strings.Contains(de.Hint, "region") || !strings.Contains(de.Hint, "mp account update "+string(scope.Account)) {
				t.Errorf("hint %q names neither the region nor the fix", de.Hint)
			}
			if de.Details["status"] != 401 || de.Details["endpoint"] != "/api/app/me" || de.Details["api_error"] == "" {
				t.Errorf("details %v lack status, endpoint or api_error", de.Details)
			}
		})
	}
}

func TestRealHostsPerRegion(t *testing.T) {
	// Without BaseURL each region goes to its own Mixpanel host. A loopback
	// HTTP proxy sees the CONNECT each call would open, and refuses it.
	var mu sync.Mutex
	var hosts []string
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hosts = append(hosts, r.Method+" "+r.Host)
		mu.Unlock()
		http.Error(w, "no", http.StatusForbidden)
	}))
	defer proxy.Close()
	proxyURL, _ := url.Parse(proxy.URL)
	hc := &http.Client{Transport: &http.Transport{Proxy: http.ProxyURL(proxyURL)}}
	s := &sleeps{}
	c := mixpanelhttp.New(mixpanelhttp.Options{HTTPClient: hc, Sleep: s.sleep})
	for _, tt := range []struct {
		region domain.Region
		want   string
	}{
		{domain.RegionUS, "CONNECT mixpanel.com:443"},
		{domain.RegionEU, "CONNECT eu.mixpanel.com:443"},
		{domain.RegionIN, "CONNECT in.mixpanel.com:443"},
	} {
		mu.Lock()
		hosts = nil
		mu.Unlock()
		scope := usScope()
		scope.Region = tt.region
		_, err := c.Me(context.Background(), scope)
		de := domainErr(t, err, domain.CodeNetworkUnreachable)
		mu.Lock()
		got := slices.Clone(hosts)
		mu.Unlock()
		if len(got) == 0 || got[0] != tt.want {
			t.Errorf("region %s: proxy saw %v, want %s", tt.region, got, tt.want)
		}
		if host := strings.TrimSuffix(strings.TrimPrefix(tt.want, "CONNECT "), ":443"); de.Details["host"] != host {
			t.Errorf("region %s: error host %v, want %s", tt.region, de.Details["host"], host)
		}
	}
}

func TestHeaders(t *testing.T) {
	h := newHarness(t, nil)
	scope := usScope()
	scope.Headers = []domain.Header{
		{Name: "X-Team", Value: "growth"},
		{Name: "X-Bridge", Value: "b1"},
		// A session header cannot replace the credential: Authorization is
		// layered last.
		{Name: "Authorization", Value: "Basic bm90OnRoaXM="},
	}
	if _, err := h.client.Me(context.Background(), scope); err != nil {
		t.Fatalf("Me with session headers: %v (the session's Authorization must not win)", err)
	}
	req := lastRequest(t, h.srv, mptest.RouteMe)
	want := map[string]string{
		"User-Agent": mixpanelhttp.UserAgent("1.2.3-test", "lib"),
		"X-Team":     "growth",
		"X-Bridge":   "b1",
		"Accept":     "application/json",
	}
	for k, v := range want {
		if got := req.Header.Get(k); got != v {
			t.Errorf("header %s = %q, want %q", k, got, v)
		}
	}
	if req.Auth != "basic" {
		t.Errorf("auth scheme %q, want basic", req.Auth)
	}
	if !strings.HasPrefix(req.Header.Get("User-Agent"), "mp/1.2.3-test (lib; go") {
		t.Errorf("User-Agent %q is not mp/<version> (<kind>; <go>; <os>/<arch>)", req.Header.Get("User-Agent"))
	}

	// A session header overrides the default User-Agent (session > UA).
	scope.Headers = []domain.Header{{Name: "User-Agent", Value: "bridge-agent"}}
	if _, err := h.client.Me(context.Background(), scope); err != nil {
		t.Fatal(err)
	}
	if got := lastRequest(t, h.srv, mptest.RouteMe).Header.Get("User-Agent"); got != "bridge-agent" {
		t.Errorf("User-Agent = %q, want the session's bridge-agent", got)
	}

	// Bearer credentials go as Bearer.
	if _, err := h.client.Me(context.Background(), tokenScope()); err != nil {
		t.Fatal(err)
	}
	if got := lastRequest(t, h.srv, mptest.RouteMe).Auth; got != "bearer" {
		t.Errorf("token auth scheme %q, want bearer", got)
	}
}

func TestWorkspaces(t *testing.T) {
	h := newHarness(t, nil)
	ws, err := h.client.Workspaces(context.Background(), usScope())
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, w := range ws {
		ids = append(ids, int64(w.ID))
	}
	want := []int64{mptest.WorkspaceAIAll, mptest.WorkspaceAIMarketing, mptest.WorkspaceAIFinance}
	if !slices.Equal(ids, want) {
		t.Errorf("workspace ids %v, want %v", ids, want)
	}
	if d, ok := domain.DefaultWorkspace(ws); !ok || d.ID != workspaceAI {
		t.Errorf("default workspace %v, want %d", d.ID, workspaceAI)
	}
	if got := h.srv.Count("/api/app/projects/3713224/workspaces/public"); got != 1 {
		t.Errorf("workspaces requests %d, want 1", got)
	}

	noProject := usScope()
	noProject.Project = ""
	_, err = h.client.Workspaces(context.Background(), noProject)
	domainErr(t, err, domain.CodeInvalidArgument)
}

func TestSegmentation(t *testing.T) {
	q := domain.SegmentationQuery{Event: "Login", From: "2026-04-01", To: "2026-04-07"}
	tests := []struct {
		name      string
		scope     func() domain.Scope
		q         domain.SegmentationQuery
		wantQuery map[string]string // "" = must be absent
		segments  int               // 0 = at least one
	}{
		{
			name: "project only", scope: usScope, q: q,
			wantQuery: map[string]string{
				"project_id": string(projectAI), "event": "Login", "from_date": "2026-04-01", "to_date": "2026-04-07",
				"unit": "day", "type": "general", "workspace_id": "", "on": "", "where": "",
			},
			segments: 1,
		},
		{
			name: "with workspace", q: q,
			scope: func() domain.Scope { s := usScope(); s.Workspace = workspaceAI; return s },
			wantQuery: map[string]string{
				"project_id": string(projectAI), "workspace_id": "3448414",
			},
		},
		{
			name: "segmented by a bare property", scope: usScope,
			q: domain.SegmentationQuery{Event: "Login", From: "2026-04-01", To: "2026-04-03", On: "browser", Unit: "week", Where: `properties["plan"] == "pro"`},
			wantQuery: map[string]string{
				"on": `properties["browser"]`, "unit": "week", "where": `properties["plan"] == "pro"`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, nil)
			res, err := h.client.Segmentation(context.Background(), tt.scope(), tt.q)
			if err != nil {
				t.Fatal(err)
			}
			req := lastRequest(t, h.srv, mptest.RouteSegmentation)
			for k, v := range tt.wantQuery {
				if v == "" {
					if req.Query.Has(k) {
						t.Errorf("parameter %s sent (%q), want none", k, req.Query.Get(k))
					}
				} else if got := req.Query.Get(k); got != v {
					t.Errorf("parameter %s = %q, want %q", k, got, v)
				}
			}
			var sum float64
			for _, byDate := range res.Series {
				for _, n := range byDate {
					sum += n
				}
			}
			if res.Total != sum || sum == 0 {
				t.Errorf("total %v, sum of the series %v (want equal and non-zero)", res.Total, sum)
			}
			if tt.segments > 0 && len(res.Series) != tt.segments {
				t.Errorf("%d segments, want %d", len(res.Series), tt.segments)
			}
			if len(res.Series) == 0 {
				t.Error("no segment")
			}
			if res.Event != tt.q.Event || res.FromDate != tt.q.From || res.ToDate != tt.q.To {
				t.Errorf("result names %s %s..%s", res.Event, res.FromDate, res.ToDate)
			}
			if tt.q.On == "" && res.SegmentProperty != nil {
				t.Errorf("segment property %q without on", *res.SegmentProperty)
			}
			if tt.q.On != "" && (res.SegmentProperty == nil || *res.SegmentProperty != tt.q.On) {
				t.Errorf("segment property %v, want %q", res.SegmentProperty, tt.q.On)
			}
		})
	}
}

func TestSegmentationInvalidQuery(t *testing.T) {
	h := newHarness(t, nil)
	_, err := h.client.Segmentation(context.Background(), usScope(), domain.SegmentationQuery{Event: "Login", From: "2026-04-07", To: "2026-04-01"})
	domainErr(t, err, domain.CodeInvalidArgument)
	if n := h.srv.Count(mptest.RouteSegmentation); n != 0 {
		t.Errorf("an invalid query reached the server (%d requests)", n)
	}
}

func TestEventNames(t *testing.T) {
	h := newHarness(t, nil)
	names, err := h.client.EventNames(context.Background(), usScope(), domain.EventNamesQuery{Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(names) != 3 || names[0] == "" {
		t.Errorf("names %q, want 3", names)
	}
	req := lastRequest(t, h.srv, mptest.RouteEventNames)
	if req.Query.Get("type") != "general" || req.Query.Get("limit") != "3" || req.Query.Get("project_id") != string(projectAI) {
		t.Errorf("query %v, want type=general limit=3 project_id=%s", req.Query, projectAI)
	}

	ws := usScope()
	ws.Workspace = workspaceAI
	if _, err := h.client.EventNames(context.Background(), ws, domain.EventNamesQuery{}); err != nil {
		t.Fatal(err)
	}
	req = lastRequest(t, h.srv, mptest.RouteEventNames)
	if req.Query.Get("workspace_id") != "3448414" || req.Query.Has("limit") {
		t.Errorf("query %v, want workspace_id=3448414 and no limit", req.Query)
	}
}

func TestDo(t *testing.T) {
	h := newHarness(t, nil)
	ctx := context.Background()

	res, err := h.client.Do(ctx, usScope(), domain.RawRequest{Path: "/api/app/me"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != 200 || !strings.HasPrefix(res.ContentType, "application/json") || !strings.Contains(string(res.Body), `"results"`) {
		t.Errorf("raw /me: %d %s %.80s", res.Status, res.ContentType, res.Body)
	}

	scope := usScope()
	scope.Workspace = workspaceAI
	res, err = h.client.Do(ctx, scope, domain.RawRequest{
		Path: "/api/query/events/names", Params: []domain.Param{{Key: "type", Value: "general"}, {Key: "limit", Value: "2"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	req := lastRequest(t, h.srv, mptest.RouteEventNames)
	if req.Query.Get("project_id") != string(projectAI) || req.Query.Get("workspace_id") != "3448414" || req.Query.Get("limit") != "2" {
		t.Errorf("raw query parameters %v: project and workspace not injected", req.Query)
	}
	if !strings.HasPrefix(strings.TrimSpace(string(res.Body)), "[") {
		t.Errorf("raw events body %s", res.Body)
	}

	// Placeholders in app paths.
	if _, err := h.client.Do(ctx, usScope(), domain.RawRequest{Path: "/api/app/projects/{project_id}/workspaces/public"}); err != nil {
		t.Fatal(err)
	}
	if n := h.srv.Count("/api/app/projects/3713224/workspaces/public"); n != 1 {
		t.Errorf("placeholder path requests %d, want 1", n)
	}

	// Error statuses still map to typed errors, and the JSON body comes
	// back both in the response and in the error.
	bad := usScope()
	bad.Credential = domain.BasicCredential(mptest.DemoUsername, domain.NewSecret("wrong-secret-123"))
	res, err = h.client.Do(ctx, bad, domain.RawRequest{Path: "/api/app/me"})
	de := domainErr(t, err, domain.CodeAuthFailed)
	if res.Status != 401 || !strings.Contains(string(res.Body), `"error"`) {
		t.Errorf("raw 401 response %d %s", res.Status, res.Body)
	}
	if de.Details["body"] == nil {
		t.Errorf("details %v lack the JSON body", de.Details)
	}

	// An unknown path is a 404 API error, not a missing project.
	_, err = h.client.Do(ctx, usScope(), domain.RawRequest{Path: "/api/app/nothing-here"})
	de = domainErr(t, err, domain.CodeAPIError)
	if de.Details["status"] != 404 {
		t.Errorf("status %v, want 404", de.Details["status"])
	}
	// A JSON 404 about the project of a raw query is a missing project.
	other := usScope()
	other.Project = projectEUShop
	_, err = h.client.Do(ctx, other, domain.RawRequest{Path: "/api/query/events/names"})
	domainErr(t, err, domain.CodeProjectNotFound)

	for _, p := range []string{"/oauth/token/", "/api/app/../../oauth/token/", "http://example.com/api/app/me"} {
		_, err = h.client.Do(ctx, usScope(), domain.RawRequest{Path: p})
		domainErr(t, err, domain.CodeInvalidArgument)
	}
}

func TestRetryHonoursRetryAfterSeconds(t *testing.T) {
	h := newHarness(t, nil)
	h.srv.Inject(mptest.RouteSegmentation, mptest.RateLimit(3), mptest.RateLimit(7))
	res, err := h.client.Segmentation(context.Background(), usScope(),
		domain.SegmentationQuery{Event: "Login", From: "2026-04-01", To: "2026-04-02"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total == 0 {
		t.Error("empty result after the retries")
	}
	if n := h.srv.Count(mptest.RouteSegmentation); n != 3 {
		t.Errorf("attempts %d, want 3", n)
	}
	if got, want := h.sleeps.got(), []time.Duration{3 * time.Second, 7 * time.Second}; !slices.Equal(got, want) {
		t.Errorf("waits %v, want %v (the Retry-After values)", got, want)
	}
	assertLogsClean(t, h.logs)
}

func TestRetryHonoursRetryAfterDate(t *testing.T) {
	now := time.Date(2026, 4, 1, 12, 0, 0, 0, time.UTC)
	h := newHarness(t, func(o *mixpanelhttp.Options) { o.Now = func() time.Time { return now } })
	h.srv.Inject(mptest.RouteMe, mptest.RateLimitUntil(now.Add(5*time.Second)), mptest.RateLimitUntil(now.Add(-time.Minute)))
	if _, err := h.client.Me(context.Background(), usScope()); err != nil {
		t.Fatal(err)
	}
	if n := h.srv.Count(mptest.RouteMe); n != 3 {
		t.Errorf("attempts %d, want 3", n)
	}
	if got, want := h.sleeps.got(), []time.Duration{5 * time.Second, 0}; !slices.Equal(got, want) {
		t.Errorf("waits %v, want %v (until the HTTP-date; a past date waits nothing)", got, want)
	}
}

func TestRateLimitExhausted(t *testing.T) {
	h := newHarness(t, nil)
	h.srv.InjectAlways(mptest.RouteSegmentation, mptest.RateLimit(2))
	_, err := h.client.Segmentation(context.Background(), usScope(),
		domain.SegmentationQuery{Event: "Login", From: "2026-04-01", To: "2026-04-02"})
	de := domainErr(t, err, domain.CodeRateLimited)
	if n := h.srv.Count(mptest.RouteSegmentation); n != mixpanelhttp.MaxAttempts {
		t.Errorf("attempts %d, want %d", n, mixpanelhttp.MaxAttempts)
	}
	if got := h.sleeps.got(); len(got) != mixpanelhttp.MaxAttempts-1 {
		t.Errorf("waits %v, want %d", got, mixpanelhttp.MaxAttempts-1)
	}
	if de.Details["retry_after"] != int64(2) || de.Details["status"] != 429 || de.Details["attempts"] != 4 {
		t.Errorf("details %v, want retry_after 2, status 429, attempts 4", de.Details)
	}
	if de.Details["api_error"] == "" || de.Hint == "" {
		t.Errorf("no API error text or hint: %v / %q", de.Details, de.Hint)
	}
}

func TestRetryAfterBeyondCapFailsFast(t *testing.T) {
	h := newHarness(t, nil)
	h.srv.InjectAlways(mptest.RouteMe, mptest.RateLimit(3600))
	_, err := h.client.Me(context.Background(), usScope())
	de := domainErr(t, err, domain.CodeRateLimited)
	if n := h.srv.Count(mptest.RouteMe); n != 1 {
		t.Errorf("attempts %d, want 1 (an hour-long Retry-After is not waited)", n)
	}
	if len(h.sleeps.got()) != 0 {
		t.Errorf("waited %v", h.sleeps.got())
	}
	if de.Details["retry_after"] != int64(3600) {
		t.Errorf("retry_after %v, want 3600", de.Details["retry_after"])
	}
}

func TestRetryServerErrors(t *testing.T) {
	for _, code := range []int{502, 503, 504} {
		h := newHarness(t, nil)
		h.srv.Inject(mptest.RouteMe, mptest.ServerError(code), mptest.ServerError(code))
		if _, err := h.client.Me(context.Background(), usScope()); err != nil {
			t.Fatalf("%d twice, then ok: %v", code, err)
		}
		if n := h.srv.Count(mptest.RouteMe); n != 3 {
			t.Errorf("%d: attempts %d, want 3", code, n)
		}
		// No Retry-After: exponential backoff (Rand 0.5 = nominal).
		if got, want := h.sleeps.got(), []time.Duration{500 * time.Millisecond, time.Second}; !slices.Equal(got, want) {
			t.Errorf("%d: waits %v, want %v", code, got, want)
		}
	}

	h := newHarness(t, nil)
	h.srv.InjectAlways(mptest.RouteWorkspaces, mptest.ServerError(503))
	_, err := h.client.Workspaces(context.Background(), usScope())
	de := domainErr(t, err, domain.CodeServerError)
	if n := h.srv.Count(mptest.RouteWorkspaces); n != 4 {
		t.Errorf("attempts %d, want 4", n)
	}
	if got, want := h.sleeps.got(), []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second}; !slices.Equal(got, want) {
		t.Errorf("waits %v, want %v", got, want)
	}
	if de.Details["status"] != 503 {
		t.Errorf("status %v", de.Details["status"])
	}

	// 500 is not retried.
	h = newHarness(t, nil)
	h.srv.Inject(mptest.RouteMe, mptest.ServerError(500))
	_, err = h.client.Me(context.Background(), usScope())
	domainErr(t, err, domain.CodeServerError)
	if n := h.srv.Count(mptest.RouteMe); n != 1 {
		t.Errorf("500: attempts %d, want 1", n)
	}
}

func TestPostIsNotRetried(t *testing.T) {
	h := newHarness(t, nil)
	h.srv.InjectAlways(mptest.RouteSegmentation, mptest.ServerError(503))
	_, err := h.client.Do(context.Background(), usScope(), domain.RawRequest{
		Method: "POST", Path: "/api/query/segmentation",
		Body: []byte("event=Login&from_date=2026-04-01&to_date=2026-04-02"), ContentType: "application/x-www-form-urlencoded",
	})
	domainErr(t, err, domain.CodeServerError)
	if n := h.srv.Count(mptest.RouteSegmentation); n != 1 {
		t.Errorf("POST attempts %d, want 1", n)
	}
	if len(h.sleeps.got()) != 0 {
		t.Errorf("POST waited %v", h.sleeps.got())
	}

	h.srv.ClearFaults()
	h.srv.InjectAlways(mptest.RouteSegmentation, mptest.RateLimit(1))
	_, err = h.client.Do(context.Background(), usScope(), domain.RawRequest{Method: "POST", Path: "/api/query/segmentation"})
	domainErr(t, err, domain.CodeRateLimited)
	if n := h.srv.Count(mptest.RouteSegmentation); n != 2 {
		t.Errorf("POST attempts %d in total, want 2", n)
	}

	h.srv.ClearFaults()
	h.srv.Inject(mptest.RouteSegmentation, mptest.CloseConnection())
	_, err = h.client.Do(context.Background(), usScope(), domain.RawRequest{Method: "POST", Path: "/api/query/segmentation"})
	domainErr(t, err, domain.CodeNetworkUnreachable)
	if n := h.srv.Count(mptest.RouteSegmentation); n != 3 {
		t.Errorf("POST attempts %d in total, want 3", n)
	}
}

func TestTransportErrorRetried(t *testing.T) {
	h := newHarness(t, nil)
	h.srv.Inject(mptest.RouteMe, mptest.CloseConnection())
	if _, err := h.client.Me(context.Background(), usScope()); err != nil {
		t.Fatalf("one dropped connection, then ok: %v", err)
	}
	if n := h.srv.Count(mptest.RouteMe); n != 2 {
		t.Errorf("attempts %d, want 2", n)
	}

	h = newHarness(t, nil)
	h.srv.InjectAlways(mptest.RouteMe, mptest.CloseConnection())
	_, err := h.client.Me(context.Background(), usScope())
	de := domainErr(t, err, domain.CodeNetworkUnreachable)
	if n := h.srv.Count(mptest.RouteMe); n != 4 {
		t.Errorf("attempts %d, want 4", n)
	}
	host := strings.TrimPrefix(h.srv.URL(), "http://")
	if !strings.Contains(de.Message, host) || de.Details["host"] != host {
		t.Errorf("message %q / details %v do not name the host %s", de.Message, de.Details, host)
	}
}

func TestConnectionRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close() // nothing listens there now
	s := &sleeps{}
	c := mixpanelhttp.New(mixpanelhttp.Options{BaseURL: "http://" + addr, Sleep: s.sleep})
	_, err = c.Me(context.Background(), usScope())
	de := domainErr(t, err, domain.CodeNetworkUnreachable)
	if !strings.Contains(de.Message, addr) || !strings.Contains(de.Message, "refused") {
		t.Errorf("message %q does not say %s refused", de.Message, addr)
	}
	if len(s.got()) != mixpanelhttp.MaxAttempts-1 || de.Details["attempts"] != mixpanelhttp.MaxAttempts {
		t.Errorf("waits %v, details %v: want %d attempts", s.got(), de.Details, mixpanelhttp.MaxAttempts)
	}
	if !errors.Is(err, domain.CodeNetworkUnreachable) {
		t.Error("errors.Is(err, NETWORK_UNREACHABLE) is false")
	}
}

func TestContextCancelStopsWaiting(t *testing.T) {
	h := newHarness(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// The wait for the second attempt is interrupted by the cancel.
	c := mixpanelhttp.New(mixpanelhttp.Options{
		BaseURL: h.srv.RegionURL(),
		Sleep: func(ctx context.Context, d time.Duration) error {
			cancel()
			<-ctx.Done()
			return ctx.Err()
		},
	})
	h.srv.InjectAlways(mptest.RouteMe, mptest.RateLimit(30))
	_, err := c.Me(ctx, usScope())
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	if n := h.srv.Count(mptest.RouteMe); n != 1 {
		t.Errorf("attempts %d, want 1", n)
	}
	assertNoSecret(t, err)
}

func TestContextCancelDuringRequest(t *testing.T) {
	h := newHarness(t, nil)
	h.srv.Inject(mptest.RouteMe, mptest.Delay(time.Minute))
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for h.srv.Count(mptest.RouteMe) == 0 {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	done := make(chan error, 1)
	go func() {
		_, err := h.client.Me(ctx, usScope())
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("error %v, want context.Canceled", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Me did not return after its context was cancelled")
	}
	if len(h.sleeps.got()) != 0 {
		t.Errorf("a cancelled call was retried (waits %v)", h.sleeps.got())
	}
}

func TestTimeout(t *testing.T) {
	h := newHarness(t, func(o *mixpanelhttp.Options) { o.Timeout = 50 * time.Millisecond })
	h.srv.InjectAlways(mptest.RouteMe, mptest.Delay(time.Minute))
	_, err := h.client.Me(context.Background(), usScope())
	de := domainErr(t, err, domain.CodeNetworkUnreachable)
	if de.Details["timeout"] != true {
		t.Errorf("details %v do not mark a timeout", de.Details)
	}
	if n := h.srv.Count(mptest.RouteMe); n != 1 {
		t.Errorf("attempts %d, want 1 (the timeout bounds the whole call)", n)
	}

	// A wait that would outlast the deadline is not started: the last
	// answer is reported at once.
	h = newHarness(t, func(o *mixpanelhttp.Options) { o.Timeout = 5 * time.Second })
	h.srv.InjectAlways(mptest.RouteMe, mptest.RateLimit(30))
	_, err = h.client.Me(context.Background(), usScope())
	domainErr(t, err, domain.CodeRateLimited)
	if len(h.sleeps.got()) != 0 {
		t.Errorf("waited %v past the deadline", h.sleeps.got())
	}
}

// A call that outlasts Options.Timeout (a hanging route) ends with NETWORK_UNREACHABLE saying
// the per-call timeout ran out, its value and where it came from, and a
// hint naming MP_HTTP_TIMEOUT and http_timeout; the caller's own deadline
// or cancellation stays a context error.
func TestTimeoutIsExplained(t *testing.T) {
	tests := []struct {
		name     string
		source   string
		faults   []mptest.Fault
		attempts int
		from     string
	}{
		{"hang", "MP_HTTP_TIMEOUT", []mptest.Fault{mptest.Delay(time.Minute)}, 1, " (set by MP_HTTP_TIMEOUT)"},
		{
			"hang, from the config", "[settings] http_timeout in /x/config.toml",
			[]mptest.Fault{mptest.Delay(time.Minute)},
			1,
			" (set by [settings] http_timeout in /x/config.toml)",
		},
		{"no source", "", []mptest.Fault{mptest.Delay(time.Minute)}, 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, func(o *mixpanelhttp.Options) {
				o.Timeout, o.TimeoutSource = 200*time.Millisecond, tt.source
			})
			h.srv.Inject(mptest.RouteMe, tt.faults...)
			_, err := h.client.Me(context.Background(), usScope())
			de := domainErr(t, err, domain.CodeNetworkUnreachable)
			if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
				t.Errorf("the per-call timeout reads as the caller's context ending: %v", err)
			}
			if want := "the per-call timeout of 200ms" + tt.from + " ran out before "; !strings.Contains(de.Message, want) {
				t.Errorf("message %q lacks %q", de.Message, want)
			}
			if !strings.Contains(de.Hint, "MP_HTTP_TIMEOUT") || !strings.Contains(de.Hint, "http_timeout") {
				t.Errorf("hint %q names neither MP_HTTP_TIMEOUT nor http_timeout", de.Hint)
			}
			if de.Details["timeout"] != true || de.Details["per_call_timeout"] != "200ms" {
				t.Errorf("details %v", de.Details)
			}
			if _, has := de.Details["timeout_source"]; has != (tt.source != "") {
				t.Errorf("timeout_source in %v, source %q", de.Details, tt.source)
			}
			if n := h.srv.Count(mptest.RouteMe); n != tt.attempts {
				t.Errorf("attempts %d, want %d", n, tt.attempts)
			}
			assertNoSecret(t, err)
		})
	}

	// The caller's own, shorter deadline is the caller's: a context error.
	h := newHarness(t, func(o *mixpanelhttp.Options) { o.Timeout, o.TimeoutSource = time.Minute, "MP_HTTP_TIMEOUT" })
	h.srv.InjectAlways(mptest.RouteMe, mptest.Delay(time.Minute))
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := h.client.Me(ctx, usScope())
	var de *domain.Error
	if !errors.Is(err, context.DeadlineExceeded) || errors.As(err, &de) {
		t.Fatalf("caller's deadline: %v, want context.DeadlineExceeded", err)
	}
}

func TestInvalidResponse(t *testing.T) {
	tests := []struct {
		name  string
		route string
		fault mptest.Fault
		call  func(*mixpanelhttp.Client) error
	}{
		{"html me", mptest.RouteMe, mptest.Body(200, "text/html", "<html>login</html>"), func(c *mixpanelhttp.Client) error {
			_, err := c.Me(context.Background(), usScope())
			return err
		}},
		{"truncated segmentation", mptest.RouteSegmentation, mptest.Body(200, "application/json", `{"data":{"series":[`), func(c *mixpanelhttp.Client) error {
			_, err := c.Segmentation(context.Background(), usScope(), domain.SegmentationQuery{Event: "Login", From: "2026-04-01", To: "2026-04-01"})
			return err
		}},
		{"events not a list", mptest.RouteEventNames, mptest.Body(200, "application/json", `{"names":[]}`), func(c *mixpanelhttp.Client) error {
			_, err := c.EventNames(context.Background(), usScope(), domain.EventNamesQuery{})
			return err
		}},
		{"me without results", mptest.RouteMe, mptest.Body(200, "application/json", `{"status":"ok"}`), func(c *mixpanelhttp.Client) error {
			_, err := c.Me(context.Background(), usScope())
			return err
		}},
		{"workspaces of the wrong shape", mptest.RouteWorkspaces, mptest.Body(200, "application/json", `{"status":"ok","results":{"a":1}}`), func(c *mixpanelhttp.Client) error {
			_, err := c.Workspaces(context.Background(), usScope())
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, nil)
			h.srv.Inject(tt.route, tt.fault)
			domainErr(t, tt.call(h.client), domain.CodeInvalidResponse)
			if n := h.srv.Count(tt.route); n != 1 {
				t.Errorf("attempts %d, want 1", n)
			}
		})
	}
}

func TestStatusMapping(t *testing.T) {
	me := func(c *mixpanelhttp.Client, s domain.Scope) error {
		_, err := c.Me(context.Background(), s)
		return err
	}
	ws := func(c *mixpanelhttp.Client, s domain.Scope) error {
		_, err := c.Workspaces(context.Background(), s)
		return err
	}
	seg := func(c *mixpanelhttp.Client, s domain.Scope) error {
		_, err := c.Segmentation(context.Background(), s, domain.SegmentationQuery{Event: "Login", From: "2026-04-01", To: "2026-04-02"})
		return err
	}
	noDetails := domain.Scope{
		Account: "nd", Type: domain.TypeServiceAccount, Region: domain.RegionUS, Project: projectAI,
		Credential: domain.BasicCredential(mptest.DemoNoDetailsUsername, domain.NewSecret(mptest.DemoNoDetailsSecret)),
	}
	wrongToken := tokenScope()
	wrongToken.Credential = domain.BearerCredential(domain.NewSecret("expired-token-0000"))
	otherRegionProject := usScope()
	otherRegionProject.Project = projectEUShop
	unknownWorkspace := usScope()
	unknownWorkspace.Workspace = 999

	tests := []struct {
		name     string
		scope    domain.Scope
		call     func(*mixpanelhttp.Client, domain.Scope) error
		inject   *mptest.Fault
		route    string
		code     domain.Code
		status   int
		inMsg    string
		inHint   string
		detailOK func(map[string]any) bool
	}{
		{
			name: "401 token", scope: wrongToken, call: me, code: domain.CodeAuthFailed, status: 401,
			inMsg: "credentials for account 'tok' are invalid (HTTP 401 from /api/app/me)", inHint: "--token-stdin",
		},
		{
			name: "403 service account without user_details", scope: noDetails, call: me, code: domain.CodePermissionDenied, status: 403,
			inMsg: "missing the user_details scope", inHint: "user_details",
			detailOK: func(d map[string]any) bool { return d["missing_scope"] == "user_details" },
		},
		{
			name: "403 project not shared", scope: noDetails, call: seg, code: domain.CodePermissionDenied, status: 403,
			inMsg: "segmentation", inHint: "add the service account to the project",
		},
		{
			name: "404 project of another region", scope: otherRegionProject, call: ws, code: domain.CodeProjectNotFound, status: 404,
			inMsg: "project 4100001", inHint: "mp project list",
		},
		{name: "404 query project", scope: otherRegionProject, call: seg, code: domain.CodeProjectNotFound, status: 404, inMsg: "project 4100001"},
		{name: "404 workspace", scope: unknownWorkspace, call: seg, code: domain.CodeProjectNotFound, status: 404, inMsg: "workspace 999"},
		{
			name: "400 invalid request", scope: usScope(), call: seg, route: mptest.RouteSegmentation,
			inject: ptr(mptest.Body(400, "application/json", `{"error":"unit must be day","request":"/x"}`)),
			code:   domain.CodeAPIError, status: 400, inMsg: "unit must be day",
			detailOK: func(d map[string]any) bool { return d["invalid_request"] == true },
		},
		{
			name: "409 other 4xx", scope: usScope(), call: me, route: mptest.RouteMe, inject: ptr(mptest.Status(409)),
			code: domain.CodeAPIError, status: 409,
			detailOK: func(d map[string]any) bool { return d["invalid_request"] == nil },
		},
		{
			name: "app error envelope on 200", scope: usScope(), call: me, route: mptest.RouteMe,
			inject: ptr(mptest.Body(200, "application/json", `{"status":"error","error":"account locked"}`)),
			code:   domain.CodeAPIError, status: 200, inMsg: "account locked",
		},
		{
			name: "304 unexpected", scope: usScope(), call: me, route: mptest.RouteMe, inject: ptr(mptest.Body(304, "", "")),
			code: domain.CodeHTTPError, status: 304,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, nil)
			if tt.inject != nil {
				h.srv.Inject(tt.route, *tt.inject)
			}
			de := domainErr(t, tt.call(h.client, tt.scope), tt.code)
			if de.Details["status"] != tt.status {
				t.Errorf("status %v, want %d", de.Details["status"], tt.status)
			}
			if ep, _ := de.Details["endpoint"].(string); !strings.HasPrefix(ep, "/api/") || strings.Contains(ep, "?") {
				t.Errorf("endpoint %q is not a path without query", ep)
			}
			// api_error is the API's own text, present only when it sent one.
			if v, ok := de.Details["api_error"]; ok {
				if s, _ := v.(string); s == "" {
					t.Errorf("details %v hold an empty api_error", de.Details)
				}
			}
			if !strings.Contains(de.Message, tt.inMsg) {
				t.Errorf("message %q lacks %q", de.Message, tt.inMsg)
			}
			if !strings.Contains(de.Hint, tt.inHint) {
				t.Errorf("hint %q lacks %q", de.Hint, tt.inHint)
			}
			if tt.detailOK != nil && !tt.detailOK(de.Details) {
				t.Errorf("details %v", de.Details)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

func basic(user, secret string) string {
	return base64.StdEncoding.EncodeToString([]byte(user + ":" + secret))
}

func TestNoSecretInErrorsOrLogs(t *testing.T) {
	h := newHarness(t, nil)
	echoes := map[string][]string{
		"demo": {mptest.DemoSecret, mptest.DemoUsername + ":" + mptest.DemoSecret, basic(mptest.DemoUsername, mptest.DemoSecret)},
		"eu":   {mptest.DemoEUSecret, basic(mptest.DemoEUUsername, mptest.DemoEUSecret)},
		"tok":  {mptest.DemoToken, "Bearer " + mptest.DemoToken},
	}
	echo := func(s string) mptest.Fault {
		// A misbehaving proxy echoing the request's credential back.
		return mptest.Body(401, "application/json", `{"error":"bad credential `+s+`"}`)
	}
	for _, s := range []domain.Scope{usScope(), euScope(), tokenScope()} {
		for _, f := range echoes[string(s.Account)] {
			h.srv.Inject(mptest.RouteMe, echo(f))
			_, err := h.client.Me(context.Background(), s)
			if err == nil {
				t.Fatal("an echoed 401 succeeded")
			}
			assertNoSecret(t, err)
			_, err = h.client.Do(context.Background(), s, domain.RawRequest{Path: "/api/app/me"})
			assertNoSecret(t, err)
		}
		// An echo that straddles the 300-character clip of the API's error
		// text: the part before the cut must not leak either.
		for _, f := range echoes[string(s.Account)][:1] {
			pad := strings.Repeat("x", 300-len("bad credential ")-len(f)/2)
			h.srv.Inject(mptest.RouteMe, echo(pad+f))
			_, err := h.client.Me(context.Background(), s)
			if de := domainErr(t, err, domain.CodeAuthFailed); strings.Contains(de.Error(), f[:len(f)/2]) {
				t.Errorf("the first half of a clipped secret leaks: %s", de.Error())
			}
		}
		s.Region = domain.RegionIN // wrong region: a plain 401
		_, err := h.client.Me(context.Background(), s)
		domainErr(t, err, domain.CodeAuthFailed)
	}
	h.srv.InjectAlways(mptest.RouteSegmentation, mptest.RateLimit(1))
	_, err := h.client.Segmentation(context.Background(), usScope(), domain.SegmentationQuery{Event: "Login", From: "2026-04-01", To: "2026-04-01"})
	domainErr(t, err, domain.CodeRateLimited)
	assertLogsClean(t, h.logs)
	// Every attempt is logged with method, path, status, attempt and duration.
	for _, e := range h.logs.FilterMessage("mixpanel request").All() {
		m := e.ContextMap()
		for _, k := range []string{"method", "path", "attempt", "duration"} {
			if _, ok := m[k]; !ok {
				t.Errorf("log line %v lacks %s", m, k)
			}
		}
	}
}

func TestOneClientAcrossScopes(t *testing.T) {
	h := newHarness(t, nil)
	ctx := context.Background()
	us, eu, tok := usScope(), euScope(), tokenScope()
	ecommerce := usScope()
	ecommerce.Project = domain.ProjectID("3018488")
	q := domain.SegmentationQuery{Event: "Login", From: "2026-04-01", To: "2026-04-02"}
	for i := 0; i < 3; i++ {
		for _, s := range []domain.Scope{us, eu, tok, ecommerce} {
			if _, err := h.client.Me(ctx, s); err != nil {
				t.Fatal(err)
			}
			if _, err := h.client.Segmentation(ctx, s, q); err != nil {
				t.Fatal(err)
			}
		}
	}
	if n := h.srv.Connections(); n != 1 {
		t.Errorf("%d TCP connections for 24 sequential calls across accounts, regions and projects, want 1", n)
	}
}

func TestBadBaseURL(t *testing.T) {
	c := mixpanelhttp.New(mixpanelhttp.Options{BaseURL: "localhost:8765"})
	_, err := c.Me(context.Background(), usScope())
	de := domainErr(t, err, domain.CodeConfigError)
	if !strings.Contains(de.Message, "MP_API_BASE_URL") {
		t.Errorf("message %q does not name MP_API_BASE_URL", de.Message)
	}
}

func TestNoCredential(t *testing.T) {
	h := newHarness(t, nil)
	s := usScope()
	s.Credential = domain.Credential{}
	_, err := h.client.Me(context.Background(), s)
	domainErr(t, err, domain.CodeAuthFailed)
	if n := h.srv.Count(mptest.RouteMe); n != 0 {
		t.Errorf("a call without credential reached the server")
	}
}
