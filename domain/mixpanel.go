package domain

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// User is the person (or service account) behind a credential, from /me.
type User struct {
	ID    int64
	Email string
	Name  string
}

// Organization is one organisation from /me.
type Organization struct {
	ID   int64
	Name string
	Role string
}

// Project is one project from /me.
type Project struct {
	ID             ProjectID
	Name           string
	OrganizationID int64
	Timezone       string
	Domain         string
	HasWorkspaces  bool
}

// Region returns the region the project's data lives in, from its domain
// ("mixpanel.com" → us, "eu.mixpanel.com" → eu, "in.mixpanel.com" → in,
// "" → us). A scheme, a path and a "data-"/"data." prefix are ignored. ok is
// false for a domain of no known region.
func (p Project) Region() (Region, bool) { return RegionOfDomain(p.Domain) }

// RegionOfDomain maps a Mixpanel API domain to its region (see
// Project.Region).
func RegionOfDomain(domain string) (Region, bool) {
	d := strings.ToLower(strings.TrimSpace(domain))
	if i := strings.Index(d, "://"); i >= 0 {
		d = d[i+3:]
	}
	if i := strings.IndexAny(d, "/:"); i >= 0 {
		d = d[:i]
	}
	d = strings.TrimPrefix(d, "data-")
	d = strings.TrimPrefix(d, "data.")
	switch d {
	case "", "mixpanel.com", "www.mixpanel.com":
		return RegionUS, true
	case "eu.mixpanel.com":
		return RegionEU, true
	case "in.mixpanel.com":
		return RegionIN, true
	}
	return "", false
}

// Workspace is one workspace of a project.
type Workspace struct {
	ID           WorkspaceID
	Name         string
	ProjectID    ProjectID
	IsDefault    bool
	IsGlobal     bool
	IsRestricted bool
	IsVisible    bool
}

// Me is the unwrapped answer of GET /api/app/me: who the credential
// belongs to and what it can reach. Raw keeps the whole answer (unknown
// fields included, member lists dropped) for the cache.
type Me struct {
	User          User
	Organizations []Organization // in the order the API sent them
	Projects      []Project      // sorted by name, then id
	Workspaces    []Workspace    // sorted by project, then id
	Raw           json.RawMessage
}

// Project returns the project with the given id.
func (m Me) Project(id ProjectID) (Project, bool) {
	for _, p := range m.Projects {
		if p.ID == id {
			return p, true
		}
	}
	return Project{}, false
}

// ProjectWorkspaces returns the workspaces of one project, sorted by id.
func (m Me) ProjectWorkspaces(id ProjectID) []Workspace {
	var out []Workspace
	for _, w := range m.Workspaces {
		if w.ProjectID == id {
			out = append(out, w)
		}
	}
	return out
}

// Workspace returns the workspace with the given id.
func (m Me) Workspace(id WorkspaceID) (Workspace, bool) {
	for _, w := range m.Workspaces {
		if w.ID == id {
			return w, true
		}
	}
	return Workspace{}, false
}

// CachedMe is a /me answer with the time it was fetched.
type CachedMe struct {
	Me       Me
	CachedAt time.Time
}

// MeTTL is how long a cached /me answer stays valid.
const MeTTL = 24 * time.Hour

// FreshAt reports whether the entry is still valid at now.
func (c CachedMe) FreshAt(now time.Time) bool {
	return !c.CachedAt.IsZero() && now.Sub(c.CachedAt) < MeTTL && !now.Before(c.CachedAt.Add(-time.Minute))
}

// DefaultWorkspace picks the workspace a lazy resolution uses: the one
// marked default, else the first by id. ok is false when there is none.
func DefaultWorkspace(ws []Workspace) (Workspace, bool) {
	if len(ws) == 0 {
		return Workspace{}, false
	}
	sorted := append([]Workspace(nil), ws...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].ID < sorted[j].ID })
	for _, w := range sorted {
		if w.IsDefault {
			return w, true
		}
	}
	return sorted[0], true
}

// meWire is the JSON shape of /me's results.
type meWire struct {
	UserID        json.Number              `json:"user_id"`
	UserEmail     string                   `json:"user_email"`
	UserName      string                   `json:"user_name"`
	Organizations json.RawMessage          `json:"organizations"`
	Projects      map[string]projectWire   `json:"projects"`
	Workspaces    map[string]workspaceWire `json:"workspaces"`
}

type orgWire struct {
	ID   json.Number `json:"id"`
	Name string      `json:"name"`
	Role string      `json:"role"`
}

type projectWire struct {
	Name           string      `json:"name"`
	OrganizationID json.Number `json:"organization_id"`
	Timezone       string      `json:"timezone"`
	Domain         string      `json:"domain"`
	HasWorkspaces  bool        `json:"has_workspaces"`
}

type workspaceWire struct {
	ID           json.Number `json:"id"`
	Name         string      `json:"name"`
	ProjectID    json.Number `json:"project_id"`
	IsDefault    bool        `json:"is_default"`
	IsGlobal     bool        `json:"is_global"`
	IsRestricted bool        `json:"is_restricted"`
	IsVisible    bool        `json:"is_visible"`
}

// ParseMe decodes the results object of /me (the envelope already removed).
// Unknown fields are kept in Raw; workspace member lists are dropped from
// Raw because they can be large. Organisation order is preserved.
func ParseMe(results []byte) (Me, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(results, &top); err != nil {
		return Me{}, fmt.Errorf("/me: results is not a JSON object: %w", err)
	}
	var w meWire
	dec := json.NewDecoder(bytes.NewReader(results))
	dec.UseNumber()
	if err := dec.Decode(&w); err != nil {
		return Me{}, fmt.Errorf("/me: %w", err)
	}
	var me Me
	me.User = User{ID: intOf(w.UserID), Email: w.UserEmail, Name: w.UserName}
	orgs, err := orderedOrgs(w.Organizations)
	if err != nil {
		return Me{}, err
	}
	me.Organizations = orgs
	for id, p := range w.Projects {
		pid, err := ParseProjectID(id)
		if err != nil {
			return Me{}, fmt.Errorf("/me: project key %q: %w", id, err)
		}
		me.Projects = append(me.Projects, Project{
			ID: pid, Name: p.Name, OrganizationID: intOf(p.OrganizationID),
			Timezone: p.Timezone, Domain: p.Domain, HasWorkspaces: p.HasWorkspaces,
		})
	}
	sort.Slice(me.Projects, func(i, j int) bool {
		a, b := me.Projects[i], me.Projects[j]
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return lessNumeric(string(a.ID), string(b.ID))
	})
	for key, ws := range w.Workspaces {
		id := intOf(ws.ID)
		if id == 0 {
			id, _ = strconv.ParseInt(key, 10, 64)
		}
		if id <= 0 {
			continue
		}
		me.Workspaces = append(me.Workspaces, Workspace{
			ID: WorkspaceID(id), Name: ws.Name, ProjectID: ProjectID(ws.ProjectID.String()),
			IsDefault: ws.IsDefault, IsGlobal: ws.IsGlobal, IsRestricted: ws.IsRestricted, IsVisible: ws.IsVisible,
		})
	}
	sort.Slice(me.Workspaces, func(i, j int) bool {
		a, b := me.Workspaces[i], me.Workspaces[j]
		if a.ProjectID != b.ProjectID {
			return lessNumeric(string(a.ProjectID), string(b.ProjectID))
		}
		return a.ID < b.ID
	})
	raw, err := stripMemberLists(top)
	if err != nil {
		return Me{}, err
	}
	me.Raw = raw
	return me, nil
}

// ParseWorkspaces decodes the results list of
// /api/app/projects/{id}/workspaces/public.
func ParseWorkspaces(results []byte) ([]Workspace, error) {
	var list []workspaceWire
	dec := json.NewDecoder(bytes.NewReader(results))
	dec.UseNumber()
	if err := dec.Decode(&list); err != nil {
		return nil, fmt.Errorf("workspaces: results is not a list of workspaces: %w", err)
	}
	out := make([]Workspace, 0, len(list))
	for _, w := range list {
		id := intOf(w.ID)
		if id <= 0 {
			continue
		}
		out = append(out, Workspace{
			ID: WorkspaceID(id), Name: w.Name, ProjectID: ProjectID(w.ProjectID.String()),
			IsDefault: w.IsDefault, IsGlobal: w.IsGlobal, IsRestricted: w.IsRestricted, IsVisible: w.IsVisible,
		})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

func orderedOrgs(raw json.RawMessage) ([]Organization, error) {
	if len(bytes.TrimSpace(raw)) == 0 || string(bytes.TrimSpace(raw)) == "null" {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('{') {
		return nil, fmt.Errorf("/me: organizations is not an object")
	}
	var out []Organization
	for dec.More() {
		keyTok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("/me: organizations: %w", err)
		}
		key, _ := keyTok.(string)
		var o orgWire
		if err := dec.Decode(&o); err != nil {
			return nil, fmt.Errorf("/me: organization %q: %w", key, err)
		}
		id := intOf(o.ID)
		if id == 0 {
			id, _ = strconv.ParseInt(key, 10, 64)
		}
		out = append(out, Organization{ID: id, Name: o.Name, Role: o.Role})
	}
	return out, nil
}

// stripMemberLists re-encodes /me without workspaces' member lists.
func stripMemberLists(top map[string]json.RawMessage) (json.RawMessage, error) {
	if wsRaw, ok := top["workspaces"]; ok {
		var ws map[string]map[string]json.RawMessage
		if err := json.Unmarshal(wsRaw, &ws); err == nil {
			for _, w := range ws {
				delete(w, "member_list")
				delete(w, "unified_member_list")
			}
			b, err := json.Marshal(ws)
			if err != nil {
				return nil, err
			}
			top["workspaces"] = b
		}
	}
	return json.Marshal(top)
}

func intOf(n json.Number) int64 {
	if n == "" {
		return 0
	}
	if i, err := n.Int64(); err == nil {
		return i
	}
	if f, err := n.Float64(); err == nil {
		return int64(f)
	}
	return 0
}

// lessNumeric orders digit strings by value (shorter first, then bytes).
func lessNumeric(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}
