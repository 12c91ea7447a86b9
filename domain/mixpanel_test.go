package domain_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mpdata/mp/domain"
)

const meFixture = `{
  "user_id": 42, "user_email": "jo@example.com", "user_name": "Jo",
  "organizations": {
    "7": {"id": 7, "name": "Acme Corp", "role": "owner", "permissions": ["x"]},
    "3": {"id": 3, "name": "Globex Europe", "role": "admin"},
    "12": {"id": 12, "name": "Initech India", "role": "member"}
  },
  "projects": {
    "3713224": {"name": "AI Demo", "organization_id": 7, "timezone": "US/Pacific", "has_workspaces": true, "domain": "mixpanel.com", "type": "PROJECT"},
    "4100001": {"name": "EU Shop", "organization_id": 3, "timezone": "Europe/Paris", "has_workspaces": true, "domain": "eu.mixpanel.com"},
    "99": {"name": "AI Demo", "organization_id": 7, "timezone": "UTC", "domain": ""}
  },
  "workspaces": {
    "3448415": {"id": 3448415, "name": "Marketing", "project_id": 3713224, "is_default": false, "member_list": [{"email": "a@b.c"}]},
    "3448414": {"id": 3448414, "name": "All Project Data", "project_id": 3713224, "is_default": true, "is_global": true, "unified_member_list": [1, 2]}
  },
  "future_field": {"kept": true}
}`

func TestParseMe(t *testing.T) {
	me, err := domain.ParseMe([]byte(meFixture))
	if err != nil {
		t.Fatal(err)
	}
	if me.User != (domain.User{ID: 42, Email: "jo@example.com", Name: "Jo"}) {
		t.Errorf("user = %+v", me.User)
	}
	// Organisation order is the API's, not numeric or string order: the
	// first organisation names a new account.
	var orgs []string
	for _, o := range me.Organizations {
		orgs = append(orgs, fmt.Sprintf("%d:%s:%s", o.ID, o.Name, o.Role))
	}
	if got, want := strings.Join(orgs, ","), "7:Acme Corp:owner,3:Globex Europe:admin,12:Initech India:member"; got != want {
		t.Errorf("organizations = %s, want %s", got, want)
	}
	// Projects sorted by name, then numerically by id.
	var ids []string
	for _, p := range me.Projects {
		ids = append(ids, string(p.ID))
	}
	if got := strings.Join(ids, ","); got != "99,3713224,4100001" {
		t.Errorf("project order = %s", got)
	}
	p, ok := me.Project("4100001")
	if !ok || p.Name != "EU Shop" || p.OrganizationID != 3 || p.Timezone != "Europe/Paris" || !p.HasWorkspaces {
		t.Errorf("project 4100001 = %+v, %v", p, ok)
	}
	if r, _ := p.Region(); r != domain.RegionEU {
		t.Errorf("EU Shop region = %s", r)
	}
	ws := me.ProjectWorkspaces("3713224")
	if len(ws) != 2 || ws[0].ID != 3448414 || !ws[0].IsDefault || !ws[0].IsGlobal || ws[1].Name != "Marketing" {
		t.Errorf("workspaces = %+v", ws)
	}
	// Raw keeps unknown fields and drops member lists.
	raw := string(me.Raw)
	if !strings.Contains(raw, `"future_field"`) || !strings.Contains(raw, `"permissions"`) {
		t.Errorf("Raw lost unknown fields: %s", raw)
	}
	if strings.Contains(raw, "member_list") {
		t.Errorf("Raw keeps member lists: %s", raw)
	}
	// Raw parses back to the same Me.
	again, err := domain.ParseMe(me.Raw)
	if err != nil || fmt.Sprint(again.Projects) != fmt.Sprint(me.Projects) || fmt.Sprint(again.Organizations) != fmt.Sprint(me.Organizations) {
		t.Errorf("ParseMe(Raw) differs: %v", err)
	}
}

func TestParseMeRejectsNonObjects(t *testing.T) {
	for _, in := range []string{``, `[]`, `"x"`, `{"projects": {"abc": {}}}`, `{"organizations": []}`} {
		if _, err := domain.ParseMe([]byte(in)); err == nil {
			t.Errorf("ParseMe(%q) accepted", in)
		}
	}
}

func FuzzParseMe(f *testing.F) {
	f.Add([]byte(meFixture))
	f.Add([]byte(`{"organizations": {"1": {"id": "x"}}}`))
	f.Add([]byte(`{"workspaces": {"0": {"id": -1}}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		me, err := domain.ParseMe(b)
		if err != nil {
			return
		}
		if !json.Valid(me.Raw) {
			t.Fatalf("Raw is not JSON: %s", me.Raw)
		}
		for _, p := range me.Projects {
			if _, err := domain.ParseProjectID(string(p.ID)); err != nil {
				t.Fatalf("accepted project id %q", p.ID)
			}
		}
		for _, w := range me.Workspaces {
			if !w.ID.IsSet() {
				t.Fatalf("accepted workspace id %d", w.ID)
			}
		}
	})
}

func TestRegionOfDomain(t *testing.T) {
	tests := []struct {
		in   string
		want domain.Region
		ok   bool
	}{
		{"", domain.RegionUS, true},
		{"mixpanel.com", domain.RegionUS, true},
		{"https://mixpanel.com/", domain.RegionUS, true},
		{"data.mixpanel.com", domain.RegionUS, true},
		{"eu.mixpanel.com", domain.RegionEU, true},
		{"https://data-eu.mixpanel.com/api", domain.RegionEU, true},
		{"in.mixpanel.com", domain.RegionIN, true},
		{"data-in.mixpanel.com:443", domain.RegionIN, true},
		{"EU.MIXPANEL.COM", domain.RegionEU, true},
		{"example.com", "", false},
	}
	for _, tt := range tests {
		got, ok := domain.RegionOfDomain(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("RegionOfDomain(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestDefaultWorkspace(t *testing.T) {
	if _, ok := domain.DefaultWorkspace(nil); ok {
		t.Error("a workspace out of nothing")
	}
	ws := []domain.Workspace{{ID: 30}, {ID: 20}, {ID: 40, IsDefault: true}}
	if w, _ := domain.DefaultWorkspace(ws); w.ID != 40 {
		t.Errorf("default = %d, want the one marked default (40)", w.ID)
	}
	if w, _ := domain.DefaultWorkspace(ws[:2]); w.ID != 20 {
		t.Errorf("default = %d, want the first by id (20)", w.ID)
	}
}

func TestCachedMeFreshAt(t *testing.T) {
	at := time.Date(2026, 4, 1, 12, 0, 0, 0, time.UTC)
	c := domain.CachedMe{CachedAt: at}
	for _, tt := range []struct {
		now  time.Time
		want bool
	}{
		{at, true},
		{at.Add(23*time.Hour + 59*time.Minute), true},
		{at.Add(24 * time.Hour), false},
		{at.Add(-time.Hour), false}, // written in the future: clock skew, refetch
	} {
		if got := c.FreshAt(tt.now); got != tt.want {
			t.Errorf("FreshAt(%v) = %v, want %v", tt.now.Sub(at), got, tt.want)
		}
	}
	if (domain.CachedMe{}).FreshAt(at) {
		t.Error("an entry without cached_at is fresh")
	}
}

func TestSegmentationQueryNormalize(t *testing.T) {
	ok := domain.SegmentationQuery{Event: "Login", From: "2026-04-01", To: "2026-04-07"}
	q, err := ok.Normalize()
	if err != nil || q.Unit != "day" || q.Type != "general" {
		t.Fatalf("Normalize = %+v, %v", q, err)
	}
	bad := []struct {
		q    domain.SegmentationQuery
		frag string
	}{
		{domain.SegmentationQuery{From: "2026-04-01", To: "2026-04-07"}, "event"},
		{domain.SegmentationQuery{Event: "e", From: "2026-4-1", To: "2026-04-07"}, "--from"},
		{domain.SegmentationQuery{Event: "e", From: "2026-04-01", To: "2026-02-30"}, "--to"},
		{domain.SegmentationQuery{Event: "e", From: "2026-04-08", To: "2026-04-07"}, "after"},
		{domain.SegmentationQuery{Event: "e", From: "2026-04-01", To: "2026-04-07", Unit: "hour"}, "--unit"},
		{domain.SegmentationQuery{Event: "e", From: "2026-04-01", To: "2026-04-07", Type: "sum"}, "--type"},
	}
	for _, tt := range bad {
		_, err := tt.q.Normalize()
		if domain.CodeOf(err) != domain.CodeInvalidArgument || !strings.Contains(err.Error(), tt.frag) {
			t.Errorf("Normalize(%+v) = %v, want INVALID_ARGUMENT naming %s", tt.q, err, tt.frag)
		}
	}
}

func TestOnExpression(t *testing.T) {
	for in, want := range map[string]string{
		"":                        "",
		"$browser":                `properties["$browser"]`,
		`we"ird\name`:             `properties["we\"ird\\name"]`,
		`properties["plan"]`:      `properties["plan"]`,
		`user["$city"]`:           `user["$city"]`,
		`event["x"] == "y"`:       `event["x"] == "y"`,
		`string(properties["a"])`: `string(properties["a"])`,
	} {
		if got := (domain.SegmentationQuery{On: in}).OnExpression(); got != want {
			t.Errorf("OnExpression(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCredentialHeaderAndRedaction(t *testing.T) {
	const secret = "cr3d-s3cr3t-value"
	basic := domain.BasicCredential("user", domain.NewSecret(secret))
	if got, want := basic.AuthorizationHeader(), "Basic dXNlcjpjcjNkLXMzY3IzdC12YWx1ZQ=="; got != want {
		t.Errorf("basic header = %q, want %q", got, want)
	}
	bearer := domain.BearerCredential(domain.NewSecret(secret))
	if got := bearer.AuthorizationHeader(); got != "Bearer "+secret {
		t.Errorf("bearer header = %q", got)
	}
	scope := domain.Scope{Account: "a", Credential: basic}
	for _, v := range []any{basic, bearer, scope, &scope} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
			if out := fmt.Sprintf(verb, v); strings.Contains(out, secret) || strings.Contains(out, "cjNkLXMzY3IzdC12YWx1ZQ") {
				t.Errorf("%s of %T leaks the secret: %s", verb, v, out)
			}
		}
		if b, _ := json.Marshal(v); strings.Contains(string(b), secret) {
			t.Errorf("JSON of %T leaks the secret: %s", v, b)
		}
	}
	if basic.Scheme() != "Basic" || bearer.Scheme() != "Bearer" || !(domain.Credential{}).IsZero() {
		t.Error("Scheme/IsZero")
	}
}

func TestRawRequestNormalize(t *testing.T) {
	got, err := domain.RawRequest{Method: " post ", Path: "/api/app/projects/{project_id}/workspaces/{workspace_id}"}.Normalize()
	if err != nil || got.Method != "POST" {
		t.Fatalf("Normalize = %+v, %v", got, err)
	}
	if got, _ := (domain.RawRequest{Path: "/api/query/events/names"}).Normalize(); got.Method != "GET" {
		t.Errorf("empty method = %q, want GET", got.Method)
	}
	for _, bad := range []domain.RawRequest{
		{Method: "TRACE", Path: "/api/app/me"},
		{Path: "/oauth/token/"},
		{Path: "/api/app/me?x=1"},
		{Path: "/api/app/%2e%2e/x"},
		{Path: "/api/app/../oauth"},
		{Path: "/api/app//me"},
		{Path: "/api/app/a b"},
		{Path: "/api/app/{account}"},
	} {
		if _, err := bad.Normalize(); domain.CodeOf(err) != domain.CodeInvalidArgument {
			t.Errorf("Normalize(%+v) = %v, want INVALID_ARGUMENT", bad, err)
		}
	}
}
