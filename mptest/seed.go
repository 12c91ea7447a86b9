package mptest

import (
	"fmt"
	"slices"
)

// Region codes of Mixpanel's data clusters. A credential belongs to one
// region; a project's data lives in one region.
const (
	RegionUS = "us"
	RegionEU = "eu"
	RegionIN = "in"
)

// Domain returns the API domain of a region ("mixpanel.com" for us,
// "eu.mixpanel.com" for eu, "in.mixpanel.com" for in), or "" for an unknown
// region.
func Domain(region string) string {
	switch region {
	case RegionUS:
		return "mixpanel.com"
	case RegionEU:
		return "eu.mixpanel.com"
	case RegionIN:
		return "in.mixpanel.com"
	}
	return ""
}

// Ids of the default seed's organisations, projects, workspaces and users.
const (
	OrgAcme    int64 = 7  // "Acme Corp", us projects
	OrgGlobex  int64 = 3  // "Globex Europe", eu projects
	OrgInitech int64 = 12 // "Initech India", in projects

	ProjectECommerce int64 = 3018488 // "E-Commerce Demo", us, one workspace
	ProjectAIDemo    int64 = 3713224 // "AI Demo", us, three workspaces
	ProjectLegacy    int64 = 3500007 // "Legacy Tracking", us, no workspaces
	ProjectEUShop    int64 = 4100001 // "EU Shop", eu, two workspaces
	ProjectINPay     int64 = 5200001 // "India Payments", in, one workspace

	WorkspaceECommerceAll int64 = 3018490 // "All Project Data" of E-Commerce Demo (default)
	WorkspaceAIAll        int64 = 3448414 // "All Project Data" of AI Demo (default)
	WorkspaceAIMarketing  int64 = 3448415 // "Marketing" of AI Demo
	WorkspaceAIFinance    int64 = 3448416 // "Finance" of AI Demo (restricted)
	WorkspaceEUAll        int64 = 4100101 // "All Project Data" of EU Shop (default)
	WorkspaceEUCheckout   int64 = 4100102 // "Checkout Team" of EU Shop
	WorkspaceINAll        int64 = 5200101 // "All Project Data" of India Payments (default)

	UserJo  int64 = 42 // Jo Example, member of every organisation; the default OAuth user
	UserSam int64 = 77 // Sam Sample, EU Shop only
)

// Demo credentials of the default seed. They are fake and only valid
// against this package's server, so printing them is harmless.
const (
	// DemoUsername and DemoSecret: us service account with the
	// user_details scope; sees E-Commerce Demo, AI Demo and Legacy Tracking.
	DemoUsername = "team-mp.292e7c.mp-service-account"
	DemoSecret   = "sandbox-us-secret-5f0c9a41d7e2"

	// DemoEUUsername and DemoEUSecret: eu service account; sees EU Shop.
	DemoEUUsername = "eu-team.8b13d4.mp-service-account"
	DemoEUSecret   = "sandbox-eu-secret-a92e61c0b4f8"

	// DemoINUsername and DemoINSecret: in service account; sees India Payments.
	DemoINUsername = "in-team.4c77f2.mp-service-account"
	DemoINSecret   = "sandbox-in-secret-0d3b8e5a7c19"

	// DemoNoDetailsUsername and DemoNoDetailsSecret: us service account
	// WITHOUT the user_details scope (/me answers 403); sees E-Commerce Demo.
	DemoNoDetailsUsername = "no-details.e5a9b0.mp-service-account"
	DemoNoDetailsSecret   = "sandbox-us-secret-nodetails-71f4"

	// DemoToken: static us bearer token of Jo Example (every project).
	DemoToken = "sandbox-us-token-3c9d0f6b2a8e41d7"

	// DemoEUToken: static eu bearer token of Sam Sample (EU Shop).
	DemoEUToken = "sandbox-eu-token-b7e2a05c9d1f68a3"
)

// Seed is the data a Server serves. Build one from DefaultSeed and change
// what a test needs, then pass it with WithSeed.
type Seed struct {
	// Organizations in the order /me lists them (the first one names a new
	// account in mp, so order matters).
	Organizations []Organization
	// Projects; their order does not matter.
	Projects []Project
	// Workspaces of the projects.
	Workspaces []Workspace
	// Users behind bearer tokens and OAuth logins.
	Users []User
	// ServiceAccounts accepted with HTTP Basic authentication.
	ServiceAccounts []ServiceAccount
	// Tokens are static bearer tokens (like a pasted OAuth access token).
	Tokens []StaticToken
	// OAuthUser is the id of the user an OAuth browser login signs in as.
	OAuthUser int64
}

// Organization is one organisation.
type Organization struct {
	ID          int64
	Name        string
	Role        string   // the role of every principal in it, e.g. "owner"
	Permissions []string // e.g. "create_projects"
}

// Project is one project. Its /me domain comes from Region.
type Project struct {
	ID             int64
	Name           string
	OrganizationID int64
	Timezone       string // e.g. "US/Pacific"
	Region         string // RegionUS, RegionEU or RegionIN
	// Events are the project's event names, most frequent first; the
	// segmentation of any other event is all zeros.
	Events []string
}

// Workspace is one workspace (data view) of a project.
type Workspace struct {
	ID           int64
	Name         string
	ProjectID    int64
	Description  string
	IsDefault    bool
	IsGlobal     bool
	IsRestricted bool
	IsVisible    bool
	// Members are e-mail addresses, served as /me's member_list (which
	// clients must drop before caching).
	Members []string
}

// User is a person reached through a bearer token or an OAuth login.
type User struct {
	ID       int64
	Email    string
	Name     string
	Projects []int64 // project ids the user can reach, in any region
}

// ServiceAccount is a credential for HTTP Basic authentication.
type ServiceAccount struct {
	Username string
	Secret   string
	Region   string // the only cluster that knows it
	ID       int64  // the user id /me reports
	Name     string
	Email    string
	Projects []int64 // project ids it can reach
	// UserDetails is the user_details scope; without it /me answers 403.
	UserDetails bool
}

// StaticToken is a bearer token that never expires, belonging to a user.
type StaticToken struct {
	Token  string
	Region string // the only cluster that accepts it
	UserID int64
}

// DefaultSeed returns the default dataset (a fresh copy each call):
//
//	organisations (in this order): 7 Acme Corp (owner), 3 Globex Europe
//	(admin), 12 Initech India (member)
//	projects: 3018488 E-Commerce Demo (us, org 7), 3713224 AI Demo (us,
//	org 7), 3500007 Legacy Tracking (us, org 7, no workspaces),
//	4100001 EU Shop (eu, org 3), 5200001 India Payments (in, org 12)
//	workspaces: 3018490 All Project Data (3018488, default);
//	3448414 All Project Data (3713224, default), 3448415 Marketing,
//	3448416 Finance (restricted); 4100101 All Project Data (4100001,
//	default), 4100102 Checkout Team; 5200101 All Project Data (5200001,
//	default)
//	users: 42 Jo Example <jo@example.com> (every project; the OAuth user),
//	77 Sam Sample <sam@example.eu> (4100001)
//	service accounts: DemoUsername (us; 3018488, 3713224, 3500007),
//	DemoEUUsername (eu; 4100001), DemoINUsername (in; 5200001),
//	DemoNoDetailsUsername (us; 3018488; no user_details scope)
//	tokens: DemoToken (us, user 42), DemoEUToken (eu, user 77)
func DefaultSeed() Seed {
	common := []string{"Page View", "Login", "Sign Up", "Search", "Logout"}
	events := func(extra ...string) []string { return append(slices.Clone(common), extra...) }
	return Seed{
		Organizations: []Organization{
			{ID: OrgAcme, Name: "Acme Corp", Role: "owner", Permissions: []string{"create_projects", "manage_members", "manage_billing"}},
			{ID: OrgGlobex, Name: "Globex Europe", Role: "admin", Permissions: []string{"create_projects", "manage_members"}},
			{ID: OrgInitech, Name: "Initech India", Role: "member", Permissions: []string{}},
		},
		Projects: []Project{
			{ID: ProjectECommerce, Name: "E-Commerce Demo", OrganizationID: OrgAcme, Timezone: "US/Pacific", Region: RegionUS, Events: events("Add to Cart", "Checkout Started", "Purchase")},
			{ID: ProjectAIDemo, Name: "AI Demo", OrganizationID: OrgAcme, Timezone: "US/Pacific", Region: RegionUS, Events: events("Prompt Submitted", "Response Rated", "Purchase")},
			{ID: ProjectLegacy, Name: "Legacy Tracking", OrganizationID: OrgAcme, Timezone: "America/New_York", Region: RegionUS, Events: events()},
			{ID: ProjectEUShop, Name: "EU Shop", OrganizationID: OrgGlobex, Timezone: "Europe/Berlin", Region: RegionEU, Events: events("Add to Cart", "Purchase")},
			{ID: ProjectINPay, Name: "India Payments", OrganizationID: OrgInitech, Timezone: "Asia/Kolkata", Region: RegionIN, Events: events("Payment Sent", "Payment Failed")},
		},
		Workspaces: []Workspace{
			{ID: WorkspaceECommerceAll, Name: "All Project Data", ProjectID: ProjectECommerce, IsDefault: true, IsGlobal: true, IsVisible: true, Members: []string{"jo@example.com"}},
			{ID: WorkspaceAIAll, Name: "All Project Data", ProjectID: ProjectAIDemo, Description: "Every event of the project", IsDefault: true, IsGlobal: true, IsVisible: true, Members: []string{"jo@example.com", "ana@example.com", "li@example.com"}},
			{ID: WorkspaceAIMarketing, Name: "Marketing", ProjectID: ProjectAIDemo, Description: "Campaign traffic", IsVisible: true, Members: []string{"ana@example.com"}},
			{ID: WorkspaceAIFinance, Name: "Finance", ProjectID: ProjectAIDemo, IsRestricted: true, IsVisible: true, Members: []string{"li@example.com"}},
			{ID: WorkspaceEUAll, Name: "All Project Data", ProjectID: ProjectEUShop, IsDefault: true, IsGlobal: true, IsVisible: true, Members: []string{"sam@example.eu", "jo@example.com"}},
			{ID: WorkspaceEUCheckout, Name: "Checkout Team", ProjectID: ProjectEUShop, IsVisible: true, Members: []string{"sam@example.eu"}},
			{ID: WorkspaceINAll, Name: "All Project Data", ProjectID: ProjectINPay, IsDefault: true, IsGlobal: true, IsVisible: true, Members: []string{"jo@example.com"}},
		},
		Users: []User{
			{ID: UserJo, Email: "jo@example.com", Name: "Jo Example", Projects: []int64{ProjectECommerce, ProjectAIDemo, ProjectLegacy, ProjectEUShop, ProjectINPay}},
			{ID: UserSam, Email: "sam@example.eu", Name: "Sam Sample", Projects: []int64{ProjectEUShop}},
		},
		ServiceAccounts: []ServiceAccount{
			{Username: DemoUsername, Secret: DemoSecret, Region: RegionUS, ID: 9001, Name: "team-mp", Email: DemoUsername + "@serviceaccount.mixpanel.com", Projects: []int64{ProjectECommerce, ProjectAIDemo, ProjectLegacy}, UserDetails: true},
			{Username: DemoEUUsername, Secret: DemoEUSecret, Region: RegionEU, ID: 9002, Name: "eu-team", Email: DemoEUUsername + "@serviceaccount.mixpanel.com", Projects: []int64{ProjectEUShop}, UserDetails: true},
			{Username: DemoINUsername, Secret: DemoINSecret, Region: RegionIN, ID: 9003, Name: "in-team", Email: DemoINUsername + "@serviceaccount.mixpanel.com", Projects: []int64{ProjectINPay}, UserDetails: true},
			{Username: DemoNoDetailsUsername, Secret: DemoNoDetailsSecret, Region: RegionUS, ID: 9004, Name: "no-details", Email: DemoNoDetailsUsername + "@serviceaccount.mixpanel.com", Projects: []int64{ProjectECommerce}, UserDetails: false},
		},
		Tokens: []StaticToken{
			{Token: DemoToken, Region: RegionUS, UserID: UserJo},
			{Token: DemoEUToken, Region: RegionEU, UserID: UserSam},
		},
		OAuthUser: UserJo,
	}
}

// DemoServiceAccount returns the default seed's us service account
// (DemoUsername, with the user_details scope).
func DemoServiceAccount() ServiceAccount { return DefaultSeed().ServiceAccounts[0] }

// DemoEUServiceAccount returns the default seed's eu service account.
func DemoEUServiceAccount() ServiceAccount { return DefaultSeed().ServiceAccounts[1] }

// DemoINServiceAccount returns the default seed's in service account.
func DemoINServiceAccount() ServiceAccount { return DefaultSeed().ServiceAccounts[2] }

// DemoNoDetailsServiceAccount returns the default seed's us service
// account without the user_details scope.
func DemoNoDetailsServiceAccount() ServiceAccount { return DefaultSeed().ServiceAccounts[3] }

// clone returns a deep copy, so a Server never shares slices with its
// caller.
func (s Seed) clone() Seed {
	c := s
	c.Organizations = slices.Clone(s.Organizations)
	for i := range c.Organizations {
		c.Organizations[i].Permissions = slices.Clone(c.Organizations[i].Permissions)
	}
	c.Projects = slices.Clone(s.Projects)
	for i := range c.Projects {
		c.Projects[i].Events = slices.Clone(c.Projects[i].Events)
	}
	c.Workspaces = slices.Clone(s.Workspaces)
	for i := range c.Workspaces {
		c.Workspaces[i].Members = slices.Clone(c.Workspaces[i].Members)
	}
	c.Users = slices.Clone(s.Users)
	for i := range c.Users {
		c.Users[i].Projects = slices.Clone(c.Users[i].Projects)
	}
	c.ServiceAccounts = slices.Clone(s.ServiceAccounts)
	for i := range c.ServiceAccounts {
		c.ServiceAccounts[i].Projects = slices.Clone(c.ServiceAccounts[i].Projects)
	}
	c.Tokens = slices.Clone(s.Tokens)
	return c
}

// validate reports the first inconsistency: a duplicate id, a reference to
// something missing, an unknown region.
func (s Seed) validate() error {
	orgs := map[int64]bool{}
	for _, o := range s.Organizations {
		if orgs[o.ID] {
			return fmt.Errorf("mptest: seed: organization %d appears twice", o.ID)
		}
		orgs[o.ID] = true
	}
	projects := map[int64]bool{}
	for _, p := range s.Projects {
		if projects[p.ID] {
			return fmt.Errorf("mptest: seed: project %d appears twice", p.ID)
		}
		projects[p.ID] = true
		if !orgs[p.OrganizationID] {
			return fmt.Errorf("mptest: seed: project %d: organization %d is not seeded", p.ID, p.OrganizationID)
		}
		if Domain(p.Region) == "" {
			return fmt.Errorf("mptest: seed: project %d: unknown region %q (want us, eu or in)", p.ID, p.Region)
		}
	}
	workspaces := map[int64]bool{}
	for _, w := range s.Workspaces {
		if workspaces[w.ID] {
			return fmt.Errorf("mptest: seed: workspace %d appears twice", w.ID)
		}
		workspaces[w.ID] = true
		if !projects[w.ProjectID] {
			return fmt.Errorf("mptest: seed: workspace %d: project %d is not seeded", w.ID, w.ProjectID)
		}
	}
	checkProjects := func(who string, ids []int64) error {
		for _, id := range ids {
			if !projects[id] {
				return fmt.Errorf("mptest: seed: %s: project %d is not seeded", who, id)
			}
		}
		return nil
	}
	users := map[int64]bool{}
	for _, u := range s.Users {
		if users[u.ID] {
			return fmt.Errorf("mptest: seed: user %d appears twice", u.ID)
		}
		users[u.ID] = true
		if err := checkProjects(fmt.Sprintf("user %d", u.ID), u.Projects); err != nil {
			return err
		}
	}
	names := map[string]bool{}
	for _, sa := range s.ServiceAccounts {
		if sa.Username == "" || sa.Secret == "" {
			return fmt.Errorf("mptest: seed: a service account needs a username and a secret")
		}
		if names[sa.Username] {
			return fmt.Errorf("mptest: seed: service account %q appears twice", sa.Username)
		}
		names[sa.Username] = true
		if Domain(sa.Region) == "" {
			return fmt.Errorf("mptest: seed: service account %q: unknown region %q", sa.Username, sa.Region)
		}
		if err := checkProjects("service account "+sa.Username, sa.Projects); err != nil {
			return err
		}
	}
	tokens := map[string]bool{}
	for i, t := range s.Tokens {
		if t.Token == "" || tokens[t.Token] {
			return fmt.Errorf("mptest: seed: token %d is empty or appears twice", i)
		}
		tokens[t.Token] = true
		if Domain(t.Region) == "" {
			return fmt.Errorf("mptest: seed: token %d: unknown region %q", i, t.Region)
		}
		if !users[t.UserID] {
			return fmt.Errorf("mptest: seed: token %d: user %d is not seeded", i, t.UserID)
		}
	}
	if s.OAuthUser != 0 && !users[s.OAuthUser] {
		return fmt.Errorf("mptest: seed: OAuth user %d is not seeded", s.OAuthUser)
	}
	return nil
}

// dataset is a Seed indexed for lookups. It is read-only after Start.
type dataset struct {
	seed       Seed
	orgs       map[int64]Organization
	projects   map[int64]Project
	workspaces map[int64]Workspace
	byProject  map[int64][]Workspace // sorted by id
	users      map[int64]User
	sas        map[string]ServiceAccount
	tokens     map[string]StaticToken
}

// newDataset indexes a validated seed.
func newDataset(s Seed) *dataset {
	d := &dataset{
		seed:       s,
		orgs:       map[int64]Organization{},
		projects:   map[int64]Project{},
		workspaces: map[int64]Workspace{},
		byProject:  map[int64][]Workspace{},
		users:      map[int64]User{},
		sas:        map[string]ServiceAccount{},
		tokens:     map[string]StaticToken{},
	}
	for _, o := range s.Organizations {
		d.orgs[o.ID] = o
	}
	for _, p := range s.Projects {
		d.projects[p.ID] = p
	}
	for _, w := range s.Workspaces {
		d.workspaces[w.ID] = w
		d.byProject[w.ProjectID] = append(d.byProject[w.ProjectID], w)
	}
	for _, ws := range d.byProject {
		slices.SortFunc(ws, func(a, b Workspace) int { return cmpInt(a.ID, b.ID) })
	}
	for _, u := range s.Users {
		d.users[u.ID] = u
	}
	for _, sa := range s.ServiceAccounts {
		d.sas[sa.Username] = sa
	}
	for _, t := range s.Tokens {
		d.tokens[t.Token] = t
	}
	return d
}

// projectIn returns the project if it exists in the cluster of region
// (any cluster when region is "", the root prefix).
func (d *dataset) projectIn(id int64, region string) (Project, bool) {
	p, ok := d.projects[id]
	if !ok || (region != "" && p.Region != region) {
		return Project{}, false
	}
	return p, true
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
