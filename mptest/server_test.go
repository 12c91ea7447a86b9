package mptest_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/mpdata/mp/mptest"
)

func TestStartListensOnLoopbackOnly(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "192.0.2.1:0", "example.com:0", "no-port"} {
		t.Run(addr, func(t *testing.T) {
			srv, err := mptest.Start(mptest.WithAddr(addr))
			if err == nil {
				srv.Close()
				t.Fatalf("Start(WithAddr(%q)) succeeded, want an error", addr)
			}
		})
	}
	for _, addr := range []string{"127.0.0.1:0", "localhost:0"} {
		t.Run(addr, func(t *testing.T) {
			srv, err := mptest.Start(mptest.WithAddr(addr))
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			if !strings.HasPrefix(srv.URL(), "http://127.0.0.1:") {
				t.Fatalf("URL() = %q, want http://127.0.0.1:PORT", srv.URL())
			}
		})
	}
}

func TestRegionURLIsURLWithRegionTemplate(t *testing.T) {
	srv := mptest.NewServer(t)
	if got, want := srv.RegionURL(), srv.URL()+"/{region}"; got != want {
		t.Fatalf("RegionURL() = %q, want %q", got, want)
	}
}

func TestStartRejectsInconsistentSeeds(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(*mptest.Seed)
	}{
		{"project of unknown organisation", func(s *mptest.Seed) { s.Projects[0].OrganizationID = 999 }},
		{"project in unknown region", func(s *mptest.Seed) { s.Projects[0].Region = "mars" }},
		{"duplicate project", func(s *mptest.Seed) { s.Projects = append(s.Projects, s.Projects[0]) }},
		{"workspace of unknown project", func(s *mptest.Seed) { s.Workspaces[0].ProjectID = 1 }},
		{"service account sees unknown project", func(s *mptest.Seed) { s.ServiceAccounts[0].Projects = []int64{1} }},
		{"service account without secret", func(s *mptest.Seed) { s.ServiceAccounts[0].Secret = "" }},
		{"token of unknown user", func(s *mptest.Seed) { s.Tokens[0].UserID = 1 }},
		{"unknown OAuth user", func(s *mptest.Seed) { s.OAuthUser = 1 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			seed := mptest.DefaultSeed()
			tc.change(&seed)
			srv, err := mptest.Start(mptest.WithSeed(seed))
			if err == nil {
				srv.Close()
				t.Fatal("Start succeeded, want a seed error")
			}
		})
	}
}

func TestDefaultSeedIsFreshEachCall(t *testing.T) {
	a := mptest.DefaultSeed()
	a.Projects[0].Name = "changed"
	if b := mptest.DefaultSeed(); b.Projects[0].Name == "changed" {
		t.Fatal("DefaultSeed shares state between calls")
	}
}

func TestCredentialsWorkOnlyInTheirRegion(t *testing.T) {
	srv := mptest.NewServer(t)
	creds := []struct {
		name   string
		a      auth
		region string
	}{
		{"us service account", demo, "us"},
		{"eu service account", basic(mptest.DemoEUUsername, mptest.DemoEUSecret), "eu"},
		{"in service account", basic(mptest.DemoINUsername, mptest.DemoINSecret), "in"},
		{"us token", bearer(mptest.DemoToken), "us"},
		{"eu token", bearer(mptest.DemoEUToken), "eu"},
	}
	for _, c := range creds {
		for _, prefix := range []string{"", "/us", "/eu", "/in"} {
			t.Run(fmt.Sprintf("%s at %q", c.name, prefix), func(t *testing.T) {
				a := get(t, srv, prefix+"/api/app/me", c.a)
				if prefix == "" || prefix == "/"+c.region {
					wantStatus(t, a, http.StatusOK)
				} else {
					wantAppError(t, a, http.StatusUnauthorized)
				}
			})
		}
	}
}

func TestCountCountsPerRouteAcrossRegions(t *testing.T) {
	srv := mptest.NewServer(t)
	get(t, srv, "/api/app/me", demo)
	get(t, srv, "/us/api/app/me", demo)
	get(t, srv, "/eu/api/app/me", demo) // 401, still counted
	get(t, srv, "/api/app/projects/3713224/workspaces/public", demo)
	get(t, srv, "/us/api/app/projects/3018488/workspaces/public", demo)
	get(t, srv, "/nowhere", demo)

	for _, tc := range []struct {
		route string
		want  int
	}{
		{mptest.RouteMe, 3},
		{"/eu/api/app/me", 1},
		{"/in/api/app/me", 0},
		{mptest.RouteWorkspaces, 2},
		{"/api/app/projects/3713224/workspaces/public", 1},
		{"/us" + mptest.RouteWorkspaces, 1},
		{mptest.RouteSegmentation, 0},
		{"/nowhere", 1},
	} {
		if got := srv.Count(tc.route); got != tc.want {
			t.Errorf("Count(%q) = %d, want %d", tc.route, got, tc.want)
		}
	}
	srv.Reset()
	if got := srv.Count(mptest.RouteMe); got != 0 {
		t.Errorf("after Reset, Count(RouteMe) = %d, want 0", got)
	}
	if got := len(srv.Requests()); got != 0 {
		t.Errorf("after Reset, %d requests logged, want 0", got)
	}
}

func TestRequestsLogWithoutCredentials(t *testing.T) {
	srv := mptest.NewServer(t)
	get(t, srv, "/eu/api/app/me", basic(mptest.DemoEUUsername, mptest.DemoEUSecret))
	get(t, srv, "/api/query/events/names?project_id=3713224&limit=2", bearer(mptest.DemoToken))
	get(t, srv, "/us/api/app/me", nil)

	reqs := srv.Requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests logged, want 3", len(reqs))
	}
	want := []struct{ path, route, region, auth string }{
		{"/eu/api/app/me", mptest.RouteMe, "eu", "basic"},
		{"/api/query/events/names", mptest.RouteEventNames, "", "bearer"},
		{"/us/api/app/me", mptest.RouteMe, "us", ""},
	}
	for i, w := range want {
		r := reqs[i]
		if r.Method != http.MethodGet || r.Path != w.path || r.Route != w.route || r.Region != w.region || r.Auth != w.auth {
			t.Errorf("request %d = %s %s route %q region %q auth %q, want GET %s route %q region %q auth %q",
				i, r.Method, r.Path, r.Route, r.Region, r.Auth, w.path, w.route, w.region, w.auth)
		}
		if r.Header.Get("Authorization") != "" {
			t.Errorf("request %d keeps the Authorization header", i)
		}
	}
	if got := reqs[1].Query.Get("project_id"); got != "3713224" {
		t.Errorf("logged project_id = %q, want 3713224", got)
	}
	all := fmt.Sprintf("%+v", reqs)
	for _, secret := range []string{mptest.DemoEUSecret, mptest.DemoToken} {
		if strings.Contains(all, secret) {
			t.Errorf("the request log contains a credential")
		}
	}
}

func TestConnectionsCountsTCPConnections(t *testing.T) {
	srv := mptest.NewServer(t)
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	c := &http.Client{Transport: tr}
	for range 5 {
		wantStatus(t, send(t, c, http.MethodGet, srv.URL()+"/api/app/me", demo, "", nil), http.StatusOK)
	}
	if got := srv.Connections(); got != 1 {
		t.Fatalf("Connections() = %d after 5 requests on one keep-alive client, want 1", got)
	}
	fresh := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	for range 2 {
		send(t, fresh, http.MethodGet, srv.URL()+"/api/app/me", demo, "", nil)
	}
	if got := srv.Connections(); got != 3 {
		t.Fatalf("Connections() = %d after 2 more requests without keep-alive, want 3", got)
	}
}

func TestUnknownPathsAndMethods(t *testing.T) {
	srv := mptest.NewServer(t)
	for _, tc := range []struct {
		method, path string
		want         int
	}{
		{http.MethodGet, "/api/app/nothing", http.StatusNotFound},
		{http.MethodGet, "/xx/api/app/me", http.StatusNotFound},
		{http.MethodGet, "/us", http.StatusNotFound},
		{http.MethodPost, "/api/app/me", http.StatusMethodNotAllowed},
		{http.MethodPost, "/oauth/token", http.StatusNotFound}, // no trailing slash
		{http.MethodGet, "/oauth/token/", http.StatusMethodNotAllowed},
	} {
		a := send(t, http.DefaultClient, tc.method, srv.URL()+tc.path, demo, "", nil)
		if a.status != tc.want {
			t.Errorf("%s %s = %d, want %d", tc.method, tc.path, a.status, tc.want)
		}
	}
}
