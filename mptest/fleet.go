package mptest

import (
	"fmt"
	"strings"
)

// OrgFleet is the organisation of the projects AddFleet seeds.
const OrgFleet int64 = 900

// AddFleet adds to s a fleet of service accounts for tests and benchmarks
// that sweep many accounts and projects: accounts us service accounts
// (with the user_details scope), each reaching projects projects of its
// own, every project with one default workspace, all in organisation
// OrgFleet ("Fleet Inc", added when missing). Account a (0-based, counting
// on from the fleet accounts s already has, so AddFleet can be called
// again) is
// "fleet-<a>.mp-service-account" with secret "sandbox-fleet-secret-<a>";
// its project p (0-based) has id 9_000_000 + 1000·a + p and is named
// "Fleet <a>-<p>", and that project's workspace id is the project id plus
// 500_000. It returns the added service accounts, in order; their
// Projects list the project ids.
func (s *Seed) AddFleet(accounts, projects int) []ServiceAccount {
	hasOrg := false
	for _, o := range s.Organizations {
		hasOrg = hasOrg || o.ID == OrgFleet
	}
	if !hasOrg {
		s.Organizations = append(s.Organizations, Organization{ID: OrgFleet, Name: "Fleet Inc", Role: "admin", Permissions: []string{"create_projects"}})
	}
	first := 0
	for _, sa := range s.ServiceAccounts {
		if strings.HasPrefix(sa.Username, "fleet-") {
			first++
		}
	}
	out := make([]ServiceAccount, 0, accounts)
	for a := first; a < first+accounts; a++ {
		sa := ServiceAccount{
			Username: fmt.Sprintf("fleet-%d.mp-service-account", a),
			Secret:   fmt.Sprintf("sandbox-fleet-secret-%d", a),
			Region:   RegionUS, ID: int64(19000 + a), Name: fmt.Sprintf("fleet-%d", a),
			Email:       fmt.Sprintf("fleet-%d.mp-service-account@serviceaccount.mixpanel.com", a),
			UserDetails: true,
		}
		for p := range projects {
			id := int64(9_000_000 + 1000*a + p)
			s.Projects = append(s.Projects, Project{
				ID: id, Name: fmt.Sprintf("Fleet %d-%d", a, p), OrganizationID: OrgFleet, Timezone: "UTC", Region: RegionUS,
				Events: []string{"Page View", "Login", "Purchase"},
			})
			s.Workspaces = append(s.Workspaces, Workspace{
				ID: id + 500_000, Name: "All Project Data", ProjectID: id, IsDefault: true, IsGlobal: true, IsVisible: true,
			})
			sa.Projects = append(sa.Projects, id)
		}
		s.ServiceAccounts = append(s.ServiceAccounts, sa)
		out = append(out, sa)
	}
	return out
}
