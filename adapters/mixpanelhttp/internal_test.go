package mixpanelhttp

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/mpdata/mp/domain"
)

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 4, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		value  string
		want   time.Duration
		wantOK bool
	}{
		{"absent", "", 0, false},
		{"seconds", "7", 7 * time.Second, true},
		{"zero seconds", "0", 0, true},
		{"spaces", " 3 ", 3 * time.Second, true},
		{"negative", "-5", 0, false},
		{"huge seconds", "99999999999999999", time.Duration(1<<63-1) / time.Second * time.Second, true},
		{"http date", now.Add(42 * time.Second).Format(http.TimeFormat), 42 * time.Second, true},
		{"rfc850 date", now.Add(5 * time.Second).Format(time.RFC850), 5 * time.Second, true},
		{"ansi c date", now.Add(9 * time.Second).Format(time.ANSIC), 9 * time.Second, true},
		{"date in the past", now.Add(-time.Hour).Format(http.TimeFormat), 0, true},
		{"garbage", "soon", 0, false},
		{"fraction", "1.5", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.value != "" {
				h.Set("Retry-After", tt.value)
			}
			got, ok := retryAfter(h, now)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("retryAfter(%q) = %v, %v; want %v, %v", tt.value, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestBackoffJitterBounds(t *testing.T) {
	for _, r := range []float64{0, 0.25, 0.5, 0.999999} {
		c := New(Options{Rand: func() float64 { return r }})
		for attempt := 1; attempt < MaxAttempts; attempt++ {
			nominal := BaseBackoff << (attempt - 1)
			got := c.backoff(attempt)
			if got < nominal/2 || got >= nominal*3/2 {
				t.Errorf("rand %v attempt %d: backoff %v outside [%v, %v)", r, attempt, got, nominal/2, nominal*3/2)
			}
		}
	}
	c := New(Options{Rand: func() float64 { return 0.5 }})
	want := []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second}
	for i, w := range want {
		if got := c.backoff(i + 1); got != w {
			t.Errorf("attempt %d with rand 0.5: backoff %v, want %v", i+1, got, w)
		}
	}
}

func TestCheckBaseURL(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"", "", true},
		{"http://127.0.0.1:8765", "http://127.0.0.1:8765", true},
		{"http://127.0.0.1:8765/", "http://127.0.0.1:8765", true},
		{"http://127.0.0.1:8765/{region}", "http://127.0.0.1:8765/{region}", true},
		{"https://proxy.corp/mixpanel/{region}/", "https://proxy.corp/mixpanel/{region}", true},
		{"ftp://x", "", false},
		{"127.0.0.1:8765", "", false},
		{"http://", "", false},
		{"http://h/?a=b", "", false},
		{"http://user:pw@h", "", false},
	}
	for _, tt := range tests {
		got, err := checkBaseURL(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("checkBaseURL(%q) = %q, %v; want %q, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
		if err != nil {
			if domain.CodeOf(err) != domain.CodeConfigError {
				t.Errorf("checkBaseURL(%q): code %s, want CONFIG_ERROR", tt.in, domain.CodeOf(err))
			}
			if strings.Contains(err.Error(), "pw") {
				t.Errorf("checkBaseURL(%q): error shows the password: %v", tt.in, err)
			}
		}
	}
}

func TestOriginPerRegion(t *testing.T) {
	tests := []struct {
		base   string
		region domain.Region
		want   string
	}{
		{"", domain.RegionUS, "https://mixpanel.com"},
		{"", domain.RegionEU, "https://eu.mixpanel.com"},
		{"", domain.RegionIN, "https://in.mixpanel.com"},
		{"http://127.0.0.1:1", domain.RegionEU, "http://127.0.0.1:1"},
		{"http://127.0.0.1:1/{region}", domain.RegionIN, "http://127.0.0.1:1/in"},
	}
	for _, tt := range tests {
		got, err := New(Options{BaseURL: tt.base}).origin(tt.region)
		if err != nil || got != tt.want {
			t.Errorf("base %q region %s: origin %q, %v; want %q", tt.base, tt.region, got, err, tt.want)
		}
	}
	if _, err := New(Options{}).origin("mars"); domain.CodeOf(err) != domain.CodeInvalidArgument {
		t.Errorf("unknown region: %v, want INVALID_ARGUMENT", err)
	}
}

func TestAPIErrorText(t *testing.T) {
	tests := []struct {
		name, body, ctype, want string
	}{
		{"app api", `{"status":"error","error":"Invalid credentials"}`, "application/json", "Invalid credentials"},
		{"query api", `{"error":"unknown event","request":"/api/query/segmentation?x"}`, "application/json", "unknown event"},
		{"message", `{"message":"nope"}`, "application/json", "nope"},
		{"object error", `{"error":{"code":7}}`, "application/json", `{"code":7}`},
		{"null error", `{"error":null}`, "application/json", ""},
		{"no error field", `{"status":"ok"}`, "application/json", ""},
		{"plain text", "  Bad\n\tGateway  ", "text/plain; charset=utf-8", "Bad Gateway"},
		{"html", "<html><body>oops</body></html>", "text/html", ""},
		{"empty", "", "", ""},
		{"control characters", "a\x00b\x1bc", "text/plain", "abc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := apiErrorText([]byte(tt.body), tt.ctype); got != tt.want {
				t.Errorf("apiErrorText(%q) = %q, want %q", tt.body, got, tt.want)
			}
		})
	}
	long := `{"error":"` + strings.Repeat("x", 1000) + `"}`
	if got := apiErrorText([]byte(long), "application/json"); utf8.RuneCountInString(got) != maxAPIErrorLen+1 {
		t.Errorf("long error text: %d runes, want %d", utf8.RuneCountInString(got), maxAPIErrorLen+1)
	}
}

func FuzzAPIErrorText(f *testing.F) {
	f.Add([]byte(`{"status":"error","error":"x"}`), "application/json")
	f.Add([]byte(`{"error":{"a":[1,2]},"request":"r"}`), "")
	f.Add([]byte("plain\x00text"), "text/plain")
	f.Fuzz(func(t *testing.T, body []byte, ctype string) {
		got := apiErrorText(body, ctype)
		if utf8.RuneCountInString(got) > maxAPIErrorLen+1 {
			t.Fatalf("text of %d runes exceeds the bound", utf8.RuneCountInString(got))
		}
		if strings.ContainsAny(got, "\n\r\t\x00") {
			t.Fatalf("text %q keeps control characters", got)
		}
	})
}

func FuzzRetryAfter(f *testing.F) {
	f.Add("120")
	f.Add("Wed, 01 Apr 2026 12:00:30 GMT")
	f.Add("-1")
	now := time.Date(2026, 4, 1, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, v string) {
		h := http.Header{}
		h.Set("Retry-After", v)
		d, ok := retryAfter(h, now)
		if d < 0 {
			t.Fatalf("retryAfter(%q) = %v, negative", v, d)
		}
		if !ok && d != 0 {
			t.Fatalf("retryAfter(%q) = %v but not ok", v, d)
		}
	})
}

func TestRedactor(t *testing.T) {
	basic := newRedactor(domain.BasicCredential("user.name", domain.NewSecret("s3cr3t-value")))
	bearer := newRedactor(domain.BearerCredential(domain.NewSecret("tok-abcdef-123")))
	hdr := domain.BasicCredential("user.name", domain.NewSecret("s3cr3t-value")).AuthorizationHeader()
	tests := []struct {
		r       redactor
		in, bad string
	}{
		{basic, "echo: s3cr3t-value", "s3cr3t-value"},
		{basic, "auth was " + hdr, strings.TrimPrefix(hdr, "Basic ")},
		{basic, "pair user.name:s3cr3t-value", "s3cr3t-value"},
		{bearer, "Bearer tok-abcdef-123 rejected", "tok-abcdef-123"},
	}
	for _, tt := range tests {
		got := tt.r.text(tt.in)
		if strings.Contains(got, tt.bad) || !strings.Contains(got, "[REDACTED]") {
			t.Errorf("text(%q) = %q", tt.in, got)
		}
	}
	body, ok := basic.jsonBody([]byte(`{"error":"bad s3cr3t-value"}`))
	if !ok || strings.Contains(string(body), "s3cr3t") {
		t.Errorf("jsonBody = %s, %v", body, ok)
	}
	if _, ok := basic.jsonBody([]byte(`not json`)); ok {
		t.Error("jsonBody accepted a non-JSON body")
	}
}

func TestRawCall(t *testing.T) {
	scope := domain.Scope{Project: "3713224", Workspace: 3448414}
	tests := []struct {
		name      string
		req       domain.RawRequest
		scope     domain.Scope
		wantErr   domain.Code
		method    string
		path      string
		query     string
		projScope bool
	}{
		{name: "query without project", req: domain.RawRequest{Path: "/api/query/events/names"}, method: "GET", path: "/api/query/events/names"},
		{name: "app get", req: domain.RawRequest{Path: "/api/app/me"}, scope: scope, method: "GET", path: "/api/app/me"},
		{
			name: "query injects project and workspace", req: domain.RawRequest{Path: "/api/query/events/names", Params: []domain.Param{{Key: "type", Value: "general"}}},
			scope: scope, method: "GET", path: "/api/query/events/names", query: "project_id=3713224&type=general&workspace_id=3448414",
			projScope: true,
		},
		{
			name: "explicit project wins", req: domain.RawRequest{Path: "/api/query/x", Params: []domain.Param{{Key: "project_id", Value: "1"}}}, scope: scope,
			method: "GET", path: "/api/query/x", query: "project_id=1&workspace_id=3448414", projScope: true,
		},
		{
			name: "placeholder", req: domain.RawRequest{Method: "post", Path: "/api/app/projects/{project_id}/workspaces/{workspace_id}"}, scope: scope,
			method: "POST", path: "/api/app/projects/3713224/workspaces/3448414", projScope: true,
		},
		{name: "placeholder without project", req: domain.RawRequest{Path: "/api/app/projects/{project_id}/x"}, wantErr: domain.CodeInvalidArgument},
		{name: "outside the api", req: domain.RawRequest{Path: "/oauth/token/"}, scope: scope, wantErr: domain.CodeInvalidArgument},
		{name: "dot dot", req: domain.RawRequest{Path: "/api/app/../../oauth/token/"}, scope: scope, wantErr: domain.CodeInvalidArgument},
		{name: "absolute url", req: domain.RawRequest{Path: "https://evil.example/api/app/me"}, scope: scope, wantErr: domain.CodeInvalidArgument},
		{name: "scheme-relative", req: domain.RawRequest{Path: "//evil.example/api/app/me"}, scope: scope, wantErr: domain.CodeInvalidArgument},
		{name: "bad method", req: domain.RawRequest{Method: "TRACE", Path: "/api/app/me"}, scope: scope, wantErr: domain.CodeInvalidArgument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cl, err := rawCall(tt.scope, tt.req)
			if tt.wantErr != "" {
				if domain.CodeOf(err) != tt.wantErr {
					t.Fatalf("error %v, want %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if cl.method != tt.method || cl.path != tt.path || cl.query.Encode() != tt.query || cl.projectScoped != tt.projScope {
				t.Errorf("got %s %s ?%s scoped=%v; want %s %s ?%s scoped=%v",
					cl.method, cl.path, cl.query.Encode(), cl.projectScoped, tt.method, tt.path, tt.query, tt.projScope)
			}
		})
	}
}

func TestUserAgentForm(t *testing.T) {
	ua := UserAgent("1.2.3", "cli")
	if !strings.HasPrefix(ua, "mp/1.2.3 (cli; go") || !strings.Contains(ua, "/") || !strings.HasSuffix(ua, ")") {
		t.Errorf("UserAgent = %q", ua)
	}
}

func FuzzRawCallPath(f *testing.F) {
	for _, p := range []string{
		"/api/app/me", "/api/query/segmentation?event=x", "/api/app/../oauth", "//h/api/app/me",
		"/api/app/projects/{project_id}/x", "/api/app/%2e%2e/oauth/token/", "http://h/api/app/me",
	} {
		f.Add(p)
	}
	scope := domain.Scope{Project: "1", Workspace: 2}
	f.Fuzz(func(t *testing.T, p string) {
		cl, err := rawCall(scope, domain.RawRequest{Path: p})
		if err != nil {
			if domain.CodeOf(err) != domain.CodeInvalidArgument {
				t.Fatalf("rawCall(%q): error %v is not INVALID_ARGUMENT", p, err)
			}
			return
		}
		u, perr := url.Parse("http://host" + cl.path)
		if perr != nil {
			t.Fatalf("rawCall(%q): path %q does not parse: %v", p, cl.path, perr)
		}
		if u.Host != "host" || leavesAPI(u.Path) {
			t.Fatalf("rawCall(%q) accepted %q, which leaves the API (host %q, path %q)", p, cl.path, u.Host, u.Path)
		}
		if strings.Contains(cl.path, "?") || strings.Contains(cl.path, "#") {
			t.Fatalf("rawCall(%q): path %q keeps a query or fragment", p, cl.path)
		}
	})
}

// leavesAPI is the fuzz oracle: a sent path must stay under /api/app/ or
// /api/query/ with no dot segment that could climb out.
func leavesAPI(p string) bool {
	if !strings.HasPrefix(p, "/api/app/") && !strings.HasPrefix(p, "/api/query/") {
		return true
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == "." || seg == ".." {
			return true
		}
	}
	return false
}

// Without a user setting every call is bounded: DefaultCallTimeout as a
// whole, DefaultIdleTimeout for a stalled body, DefaultConnectTimeout for
// the dial, TLS and the response headers; a user setting wins; a negative
// one means none.
func TestDefaultTimeBounds(t *testing.T) {
	c := New(Options{})
	if c.timeout != DefaultCallTimeout || c.source != defaultTimeoutSource || c.idle != DefaultIdleTimeout {
		t.Errorf("defaults: timeout %s (%q), idle %s", c.timeout, c.source, c.idle)
	}
	c = New(Options{Timeout: 5 * time.Second, TimeoutSource: "MP_HTTP_TIMEOUT", IdleTimeout: time.Second})
	if c.timeout != 5*time.Second || c.source != "MP_HTTP_TIMEOUT" || c.idle != time.Second {
		t.Errorf("user setting: timeout %s (%q), idle %s", c.timeout, c.source, c.idle)
	}
	if c := New(Options{Timeout: -1}); c.timeout > 0 {
		t.Errorf("negative timeout became %s", c.timeout)
	}
	tr, ok := NewHTTPClient().Transport.(*http.Transport)
	if !ok || tr.TLSHandshakeTimeout != DefaultConnectTimeout || tr.ResponseHeaderTimeout != DefaultConnectTimeout {
		t.Errorf("transport bounds: %+v", tr)
	}
	// The default names itself when it runs out.
	c = New(Options{})
	c.timeout = time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	<-ctx.Done()
	e := c.networkError(ctx, &call{method: "GET", path: "/api/app/me"}, "https://mixpanel.com", &transportError{err: ctx.Err()}, 1)
	if !strings.Contains(e.Message, "(mp's default)") || !strings.Contains(e.Hint, "MP_HTTP_TIMEOUT") {
		t.Errorf("message %q, hint %q", e.Message, e.Hint)
	}
}
