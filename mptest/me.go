package mptest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
)

// meJSON is the results object of GET /api/app/me.
type meJSON struct {
	UserID           int64                    `json:"user_id"`
	UserEmail        string                   `json:"user_email"`
	UserName         string                   `json:"user_name"`
	IsServiceAccount bool                     `json:"user_is_service_account"`
	Organizations    orderedOrgs              `json:"organizations"`
	Projects         map[string]projectJSON   `json:"projects"`
	Workspaces       map[string]workspaceJSON `json:"workspaces"`
}

type orgJSON struct {
	ID          int64    `json:"id"`
	Name        string   `json:"name"`
	Role        string   `json:"role"`
	Permissions []string `json:"permissions"`
}

// orderedOrgs encodes as a JSON object keyed by id whose members keep the
// slice's order (encoding/json would sort map keys).
type orderedOrgs []orgJSON

// MarshalJSON writes {"<id>":{…},…} in slice order.
func (o orderedOrgs) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, org := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		v, err := json.Marshal(org)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(&b, "%q:", strconv.FormatInt(org.ID, 10))
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

type projectJSON struct {
	Name           string `json:"name"`
	OrganizationID int64  `json:"organization_id"`
	Timezone       string `json:"timezone"`
	HasWorkspaces  bool   `json:"has_workspaces"`
	Domain         string `json:"domain"`
	Type           string `json:"type"`
	IsDemo         bool   `json:"is_demo"`
}

type memberJSON struct {
	Email string `json:"email"`
	Role  string `json:"role"`
}

type workspaceJSON struct {
	ID           int64        `json:"id"`
	Name         string       `json:"name"`
	ProjectID    int64        `json:"project_id"`
	IsDefault    bool         `json:"is_default"`
	IsGlobal     bool         `json:"is_global"`
	IsRestricted bool         `json:"is_restricted"`
	IsVisible    bool         `json:"is_visible"`
	MemberList   []memberJSON `json:"member_list"`
}

// publicWorkspaceJSON is one entry of /workspaces/public.
type publicWorkspaceJSON struct {
	ID           int64  `json:"id"`
	Name         string `json:"name"`
	ProjectID    int64  `json:"project_id"`
	IsDefault    bool   `json:"is_default"`
	Description  string `json:"description"`
	IsGlobal     bool   `json:"is_global"`
	IsRestricted bool   `json:"is_restricted"`
	IsVisible    bool   `json:"is_visible"`
	CreatedISO   string `json:"created_iso"`
	CreatorName  string `json:"creator_name"`
}

// handleMe serves GET /api/app/me: who the credential belongs to, its
// organisations (in seed order), projects (every region) and their
// workspaces (with member lists). 401 for a bad credential, 403 for a
// service account without the user_details scope.
func (s *Server) handleMe(w http.ResponseWriter, r *http.Request) {
	p, msg, ok := s.authenticate(r)
	if !ok {
		appError(w, http.StatusUnauthorized, msg)
		return
	}
	if !p.userDetails {
		appError(w, http.StatusForbidden, "this service account is missing the user_details scope, which /me requires")
		return
	}
	writeJSON(w, http.StatusOK, envelope(s.me(p)))
}

// me builds the /me results for a principal.
func (s *Server) me(p principal) meJSON {
	out := meJSON{
		UserID: p.userID, UserEmail: p.email, UserName: p.name, IsServiceAccount: p.serviceAccount,
		Organizations: orderedOrgs{},
		Projects:      map[string]projectJSON{},
		Workspaces:    map[string]workspaceJSON{},
	}
	orgs := map[int64]bool{}
	for _, id := range p.projects {
		proj := s.data.projects[id]
		orgs[proj.OrganizationID] = true
		wss := s.data.byProject[id]
		out.Projects[strconv.FormatInt(id, 10)] = projectJSON{
			Name: proj.Name, OrganizationID: proj.OrganizationID, Timezone: proj.Timezone,
			HasWorkspaces: len(wss) > 0, Domain: Domain(proj.Region), Type: "PROJECT",
		}
		for _, ws := range wss {
			members := make([]memberJSON, 0, len(ws.Members))
			for _, m := range ws.Members {
				members = append(members, memberJSON{Email: m, Role: "analyst"})
			}
			out.Workspaces[strconv.FormatInt(ws.ID, 10)] = workspaceJSON{
				ID: ws.ID, Name: ws.Name, ProjectID: ws.ProjectID, IsDefault: ws.IsDefault,
				IsGlobal: ws.IsGlobal, IsRestricted: ws.IsRestricted, IsVisible: ws.IsVisible,
				MemberList: members,
			}
		}
	}
	for _, o := range s.data.seed.Organizations {
		if orgs[o.ID] {
			perms := o.Permissions
			if perms == nil {
				perms = []string{}
			}
			out.Organizations = append(out.Organizations, orgJSON{ID: o.ID, Name: o.Name, Role: o.Role, Permissions: slices.Clone(perms)})
		}
	}
	return out
}

// handleWorkspaces serves GET /api/app/projects/{id}/workspaces/public:
// the project's workspaces in an envelope (an empty list for a project
// without workspaces). 404 for a project this cluster does not have, 403
// for one the credential cannot reach.
func (s *Server) handleWorkspaces(w http.ResponseWriter, r *http.Request) {
	p, msg, ok := s.authenticate(r)
	if !ok {
		appError(w, http.StatusUnauthorized, msg)
		return
	}
	raw := r.PathValue("id")
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		appError(w, http.StatusBadRequest, fmt.Sprintf("invalid project id %q: want a positive integer", raw))
		return
	}
	if _, ok := s.data.projectIn(id, info(r).region); !ok {
		appError(w, http.StatusNotFound, fmt.Sprintf("project %d not found", id))
		return
	}
	if !p.canSee(id) {
		appError(w, http.StatusForbidden, fmt.Sprintf("you do not have access to project %d", id))
		return
	}
	list := []publicWorkspaceJSON{}
	for _, ws := range s.data.byProject[id] {
		list = append(list, publicWorkspaceJSON{
			ID: ws.ID, Name: ws.Name, ProjectID: ws.ProjectID, IsDefault: ws.IsDefault,
			Description: ws.Description, IsGlobal: ws.IsGlobal, IsRestricted: ws.IsRestricted,
			IsVisible: ws.IsVisible, CreatedISO: "2024-03-01T12:00:00Z", CreatorName: "Jo Example",
		})
	}
	writeJSON(w, http.StatusOK, envelope(list))
}
