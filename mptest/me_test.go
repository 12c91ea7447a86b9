package mptest_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"testing"

	"github.com/mpdata/mp/mptest"
)

// meAnswer is /me's JSON.
type meAnswer struct {
	Status  string `json:"status"`
	Results struct {
		UserID        int64                      `json:"user_id"`
		UserEmail     string                     `json:"user_email"`
		UserName      string                     `json:"user_name"`
		Organizations json.RawMessage            `json:"organizations"`
		Projects      map[string]json.RawMessage `json:"projects"`
		Workspaces    map[string]json.RawMessage `json:"workspaces"`
	} `json:"results"`
}

type meProject struct {
	Name           string `json:"name"`
	OrganizationID int64  `json:"organization_id"`
	Timezone       string `json:"timezone"`
	HasWorkspaces  bool   `json:"has_workspaces"`
	Domain         string `json:"domain"`
	Type           string `json:"type"`
}

type meWorkspace struct {
	ID         int64             `json:"id"`
	Name       string            `json:"name"`
	ProjectID  int64             `json:"project_id"`
	IsDefault  bool              `json:"is_default"`
	MemberList []json.RawMessage `json:"member_list"`
}

// objectKeys returns a JSON object's keys in document order.
func objectKeys(t *testing.T, raw json.RawMessage) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("not a JSON object: %s", raw)
	}
	var keys []string
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}

func TestMeForAUserListsEveryRegionAndKeepsOrganizationOrder(t *testing.T) {
	srv := mptest.NewServer(t)
	a := get(t, srv, "/us/api/app/me", bearer(mptest.DemoToken))
	wantStatus(t, a, http.StatusOK)
	me := decode[meAnswer](t, a)
	if me.Status != "ok" || me.Results.UserID != mptest.UserJo || me.Results.UserEmail != "jo@example.com" || me.Results.UserName != "Jo Example" {
		t.Fatalf("user = %d %q %q (status %q)", me.Results.UserID, me.Results.UserEmail, me.Results.UserName, me.Status)
	}
	// Neither numeric (3, 7, 12) nor string ("12", "3", "7") order: seed order.
	if got, want := objectKeys(t, me.Results.Organizations), []string{"7", "3", "12"}; !slices.Equal(got, want) {
		t.Fatalf("organization order = %v, want %v", got, want)
	}
	wantDomains := map[string]string{
		"3018488": "mixpanel.com", "3713224": "mixpanel.com", "3500007": "mixpanel.com",
		"4100001": "eu.mixpanel.com", "5200001": "in.mixpanel.com",
	}
	if len(me.Results.Projects) != len(wantDomains) {
		t.Fatalf("%d projects, want %d", len(me.Results.Projects), len(wantDomains))
	}
	for id, domain := range wantDomains {
		var p meProject
		if err := json.Unmarshal(me.Results.Projects[id], &p); err != nil {
			t.Fatalf("project %s: %v", id, err)
		}
		if p.Domain != domain || p.Name == "" || p.OrganizationID == 0 || p.Timezone == "" || p.Type == "" {
			t.Errorf("project %s = %+v, want domain %q and every field set", id, p, domain)
		}
		if wantWS := id != "3500007"; p.HasWorkspaces != wantWS {
			t.Errorf("project %s has_workspaces = %v, want %v", id, p.HasWorkspaces, wantWS)
		}
	}
	var ws meWorkspace
	if err := json.Unmarshal(me.Results.Workspaces["3448414"], &ws); err != nil {
		t.Fatal(err)
	}
	if ws.ID != mptest.WorkspaceAIAll || ws.Name != "All Project Data" || ws.ProjectID != mptest.ProjectAIDemo || !ws.IsDefault || len(ws.MemberList) == 0 {
		t.Fatalf("workspace 3448414 = %+v, want All Project Data, default, of 3713224, with a member_list", ws)
	}
	if len(me.Results.Workspaces) != 7 {
		t.Fatalf("%d workspaces, want 7", len(me.Results.Workspaces))
	}
}

func TestMeForAServiceAccountListsItsProjects(t *testing.T) {
	srv := mptest.NewServer(t)
	me := decode[meAnswer](t, get(t, srv, "/api/app/me", demo))
	var ids []string
	for id := range me.Results.Projects {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	if want := []string{"3018488", "3500007", "3713224"}; !slices.Equal(ids, want) {
		t.Fatalf("projects = %v, want %v", ids, want)
	}
	if got := objectKeys(t, me.Results.Organizations); !slices.Equal(got, []string{"7"}) {
		t.Fatalf("organizations = %v, want [7]", got)
	}
	if me.Results.UserID != 9001 || me.Results.UserEmail == "" {
		t.Fatalf("user = %d %q", me.Results.UserID, me.Results.UserEmail)
	}
}

func TestMeRejectsBadCredentials(t *testing.T) {
	srv := mptest.NewServer(t)
	for _, tc := range []struct {
		name   string
		a      auth
		status int
	}{
		{"no credential", nil, http.StatusUnauthorized},
		{"wrong secret", basic(mptest.DemoUsername, "wrong-secret"), http.StatusUnauthorized},
		{"unknown service account", basic("nobody", mptest.DemoSecret), http.StatusUnauthorized},
		{"unknown bearer", bearer("not-a-token"), http.StatusUnauthorized},
		{"empty bearer", func(r *http.Request) { r.Header.Set("Authorization", "Bearer ") }, http.StatusUnauthorized},
		{"malformed basic", func(r *http.Request) { r.Header.Set("Authorization", "Basic !!!") }, http.StatusUnauthorized},
		{"other scheme", func(r *http.Request) { r.Header.Set("Authorization", "Token "+mptest.DemoToken) }, http.StatusUnauthorized},
		{"service account without user_details", basic(mptest.DemoNoDetailsUsername, mptest.DemoNoDetailsSecret), http.StatusForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := get(t, srv, "/api/app/me", tc.a)
			wantAppError(t, a, tc.status)
			for _, secret := range []string{mptest.DemoSecret, mptest.DemoToken, mptest.DemoNoDetailsSecret} {
				if bytes.Contains(a.body, []byte(secret)) {
					t.Fatalf("error body echoes a credential: %s", a.body)
				}
			}
		})
	}
}

// workspaceEntry is one entry of /workspaces/public.
type workspaceEntry struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	ProjectID int64  `json:"project_id"`
	IsDefault bool   `json:"is_default"`
}

func TestWorkspacesPublic(t *testing.T) {
	srv := mptest.NewServer(t)
	a := get(t, srv, "/us/api/app/projects/3713224/workspaces/public", demo)
	wantStatus(t, a, http.StatusOK)
	env := decode[struct {
		Status  string           `json:"status"`
		Results []workspaceEntry `json:"results"`
	}](t, a)
	want := []workspaceEntry{
		{ID: 3448414, Name: "All Project Data", ProjectID: 3713224, IsDefault: true},
		{ID: 3448415, Name: "Marketing", ProjectID: 3713224},
		{ID: 3448416, Name: "Finance", ProjectID: 3713224},
	}
	if env.Status != "ok" || !slices.Equal(env.Results, want) {
		t.Fatalf("answer = %+v, want status ok and %+v", env, want)
	}

	empty := get(t, srv, "/api/app/projects/3500007/workspaces/public", demo)
	wantStatus(t, empty, http.StatusOK)
	if got := decode[struct {
		Results []workspaceEntry `json:"results"`
	}](t, empty); got.Results == nil || len(got.Results) != 0 {
		t.Fatalf("project without workspaces: body %s, want an empty list", empty.body)
	}

	for _, tc := range []struct {
		name, path string
		a          auth
		status     int
	}{
		{"unknown project", "/api/app/projects/999/workspaces/public", demo, http.StatusNotFound},
		{"eu project on the us cluster", "/us/api/app/projects/4100001/workspaces/public", bearer(mptest.DemoToken), http.StatusNotFound},
		{"project out of reach", "/api/app/projects/4100001/workspaces/public", demo, http.StatusForbidden},
		{"not an id", "/api/app/projects/abc/workspaces/public", demo, http.StatusBadRequest},
		{"no credential", "/api/app/projects/3713224/workspaces/public", nil, http.StatusUnauthorized},
	} {
		t.Run(tc.name, func(t *testing.T) { wantAppError(t, get(t, srv, tc.path, tc.a), tc.status) })
	}
}

func TestSeedOptionsReplaceData(t *testing.T) {
	srv := mptest.NewServer(t,
		mptest.WithOrganizations(mptest.Organization{ID: 1, Name: "Solo", Role: "owner"}),
		mptest.WithProjects(mptest.Project{ID: 11, Name: "Only", OrganizationID: 1, Region: mptest.RegionEU, Events: []string{"Ping"}}),
		mptest.WithWorkspaces(),
		mptest.WithUsers(mptest.User{ID: 5, Email: "u@example.com", Name: "U", Projects: []int64{11}}),
		mptest.WithServiceAccounts(mptest.ServiceAccount{Username: "sa", Secret: "pw", Region: mptest.RegionEU, ID: 6, Projects: []int64{11}, UserDetails: true}),
		mptest.WithTokens(mptest.StaticToken{Token: "tok", Region: mptest.RegionEU, UserID: 5}),
	)
	wantAppError(t, get(t, srv, "/api/app/me", demo), http.StatusUnauthorized)
	me := decode[meAnswer](t, get(t, srv, "/eu/api/app/me", bearer("tok")))
	if me.Results.UserEmail != "u@example.com" || len(me.Results.Projects) != 1 || len(me.Results.Workspaces) != 0 {
		t.Fatalf("me = %+v", me.Results)
	}
	wantStatus(t, get(t, srv, "/eu/api/app/me", basic("sa", "pw")), http.StatusOK)
}
