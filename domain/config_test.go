package domain_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/mpdata/mp/domain"
)

// sameData fails the test when two configs differ.
func sameData(t *testing.T, got, want domain.Config) {
	t.Helper()
	if !reflect.DeepEqual(got.Data(), want.Data()) {
		t.Fatalf("config changed:\n got %+v\nwant %+v", got.Data(), want.Data())
	}
}

func TestNewConfig(t *testing.T) {
	tests := []struct {
		desc      string
		edit      func(*domain.ConfigData)
		code      domain.Code
		fragments []string
	}{
		{"fixture", func(*domain.ConfigData) {}, "", nil},
		{"empty", func(d *domain.ConfigData) { *d = domain.ConfigData{} }, "", nil},
		{"orphan target loads", func(d *domain.ConfigData) {
			d.Accounts = nil
			d.Active = domain.Active{}
		}, "", nil},
		{"dangling active account loads", func(d *domain.ConfigData) { d.Active.Account = "nobody" }, "", nil},
		{"duplicate account", func(d *domain.ConfigData) {
			d.Accounts = append(d.Accounts, browserAccount("main", ""))
		}, domain.CodeConfigError, []string{"account 'main' is defined twice"}},
		{"duplicate target", func(d *domain.ConfigData) {
			d.Targets = append(d.Targets, domain.Target{Name: "ecom", Account: "main", Project: "1"})
		}, domain.CodeConfigError, []string{"target 'ecom' is defined twice"}},
		{"invalid account", func(d *domain.ConfigData) { d.Accounts[0].Region = "xx" }, domain.CodeInvalidArgument, []string{"account 'main'", "invalid region"}},
		{"invalid account name", func(d *domain.ConfigData) { d.Accounts[0].Name = "../etc" }, domain.CodeInvalidArgument, []string{"invalid account name"}},
		{"invalid target", func(d *domain.ConfigData) { d.Targets[0].Project = "" }, domain.CodeInvalidArgument, []string{"target 'ecom'"}},
		{"invalid active account", func(d *domain.ConfigData) { d.Active.Account = "a b" }, domain.CodeInvalidArgument, []string{"[active]", "invalid account name"}},
		{"negative active workspace", func(d *domain.ConfigData) { d.Active.Workspace = -3 }, domain.CodeInvalidArgument, []string{"[active]", "workspace"}},
		{"bad header name", func(d *domain.ConfigData) { d.Settings.CustomHeader.Name = "X Team" }, domain.CodeInvalidArgument, []string{"[settings].custom_header", `"X Team"`}},
		{"empty header name", func(d *domain.ConfigData) { d.Settings.CustomHeader.Name = "" }, domain.CodeInvalidArgument, []string{"[settings].custom_header"}},
		{"header value with CRLF", func(d *domain.ConfigData) {
			d.Settings.CustomHeader.Value = "blue\r\nAuthorization: Basic eA=="
		}, domain.CodeInvalidArgument, []string{"[settings].custom_header", "control character"}},
		{"header value with tab", func(d *domain.ConfigData) { d.Settings.CustomHeader.Value = "a\tb" }, "", nil},
		{"header value empty", func(d *domain.ConfigData) { d.Settings.CustomHeader.Value = "" }, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			d := fixtureData()
			tt.edit(&d)
			c, err := domain.NewConfig(d)
			if checkErr(t, err, tt.code, tt.fragments...) {
				if !c.IsEmpty() {
					t.Error("failed NewConfig returned a non-empty config")
				}
				return
			}
			if err := c.Validate(); err != nil {
				t.Errorf("loaded config does not validate: %v", err)
			}
		})
	}
}

func TestConfigDataRoundTrip(t *testing.T) {
	d := fixtureData()
	c := mustConfig(t, d)
	got := c.Data()
	if names := c.AccountNames(); !slices.Equal(names, []domain.AccountName{"bare", "main", "other"}) {
		t.Errorf("AccountNames = %v", names)
	}
	if names := c.TargetNames(); !slices.Equal(names, []domain.TargetName{"ecom", "ghost", "nows"}) {
		t.Errorf("TargetNames = %v", names)
	}
	for i, a := range got.Accounts {
		if a.Name != c.AccountNames()[i] {
			t.Errorf("Data().Accounts not sorted: %v", got.Accounts)
		}
	}
	for i, tg := range got.Targets {
		if tg.Name != c.TargetNames()[i] {
			t.Errorf("Data().Targets not sorted: %v", got.Targets)
		}
	}
	again := mustConfig(t, got)
	sameData(t, again, c)
	if got.Active != d.Active || *got.Settings.CustomHeader != *d.Settings.CustomHeader {
		t.Errorf("Data() = %+v", got)
	}

	// The config shares nothing with the ConfigData it was built from or
	// handed out.
	d.Settings.CustomHeader.Value = "changed"
	d.Accounts[0].Region = "eu"
	got.Settings.CustomHeader.Value = "changed too"
	c.Settings().CustomHeader.Value = "changed three"
	if h := c.Settings().CustomHeader; h.Value != "blue" {
		t.Errorf("custom header aliased: %q", h.Value)
	}
	if a, _ := c.Account("main"); a.Region != domain.RegionUS {
		t.Errorf("account aliased: region %q", a.Region)
	}
}

func TestZeroConfig(t *testing.T) {
	var c domain.Config
	if !c.IsEmpty() || c.Validate() != nil {
		t.Fatal("zero Config is not an empty valid config")
	}
	if len(c.Accounts()) != 0 || len(c.Targets()) != 0 || c.Active() != (domain.Active{}) || c.Settings().CustomHeader != nil {
		t.Fatal("zero Config is not empty")
	}
	_, err := c.LookupAccount("x")
	checkErr(t, err, domain.CodeAccountNotFound, "account 'x' not found", "(none)")
	if e := asError(t, err); e.Hint == "" {
		t.Error("no hint on an empty config")
	}
	_, err = c.Target("t")
	checkErr(t, err, domain.CodeTargetNotFound, "target 't' not found", "(none)")
	// Every mutator works on the zero value (nil maps).
	if err := c.SetCustomHeader(&domain.Header{Name: "X-A", Value: "1"}); err != nil {
		t.Fatal(err)
	}
	if c.IsEmpty() {
		t.Error("config with a header reports empty")
	}
	var c2 domain.Config
	if _, err := c2.AddAccount(saAccount("a", "")); err != nil {
		t.Fatal(err)
	}
	if err := c2.AddTarget(domain.Target{Name: "t", Account: "a", Project: "1"}); err != nil {
		t.Fatal(err)
	}
	if names := c2.TargetNames(); !slices.Equal(names, []domain.TargetName{"t"}) {
		t.Errorf("TargetNames = %v", names)
	}
	var c3 domain.Config
	c3.ClearActive()
	c3.ClearActiveWorkspace()
	if !c3.IsEmpty() {
		t.Error("clearing an empty config made it non-empty")
	}
}

func TestAddAccount(t *testing.T) {
	var c domain.Config
	promoted, err := c.AddAccount(saAccount("first", "1"))
	checkErr(t, err, "")
	if !promoted || c.Active() != (domain.Active{Account: "first"}) {
		t.Fatalf("first account: promoted=%v active=%+v", promoted, c.Active())
	}
	promoted, err = c.AddAccount(tokenAccount("second", ""))
	checkErr(t, err, "")
	if promoted || c.Active().Account != "first" {
		t.Fatalf("second account: promoted=%v active=%+v", promoted, c.Active())
	}

	before := c.Clone()
	dup := browserAccount("second", "5")
	_, err = c.AddAccount(dup)
	checkErr(t, err, domain.CodeAccountExists, "account 'second' already exists")
	if e := asError(t, err); e.Details["account"] != "second" || e.Hint == "" {
		t.Errorf("details %v hint %q", e.Details, e.Hint)
	}
	sameData(t, c, before)

	bad := saAccount("bad", "")
	bad.Username = ""
	_, err = c.AddAccount(bad)
	checkErr(t, err, domain.CodeInvalidArgument, "needs a username")
	sameData(t, c, before)

	// An account added while [active] points somewhere (even at a removed
	// account) is not promoted.
	c2 := mustConfig(t, domain.ConfigData{Active: domain.Active{Account: "gone"}})
	promoted, err = c2.AddAccount(saAccount("new", ""))
	checkErr(t, err, "")
	if promoted || c2.Active().Account != "gone" {
		t.Errorf("promoted=%v active=%+v", promoted, c2.Active())
	}
}

func TestUpdateAccount(t *testing.T) {
	c := mustConfig(t, fixtureData())
	got, err := c.UpdateAccount("main", domain.AccountPatch{Region: ptr(domain.RegionIN)})
	checkErr(t, err, "")
	if got.Region != domain.RegionIN {
		t.Errorf("returned region %q", got.Region)
	}
	if a, _ := c.Account("main"); a.Region != domain.RegionIN {
		t.Errorf("stored region %q", a.Region)
	}

	before := c.Clone()
	_, err = c.UpdateAccount("nobody", domain.AccountPatch{ClearProject: true})
	checkErr(t, err, domain.CodeAccountNotFound, "'nobody'", "'bare', 'main', 'other'")
	_, err = c.UpdateAccount("main", domain.AccountPatch{})
	checkErr(t, err, domain.CodeInvalidArgument, "nothing to update for account 'main'")
	_, err = c.UpdateAccount("main", domain.AccountPatch{Token: ptr(domain.NewSecret("t"))})
	checkErr(t, err, domain.CodeInvalidArgument, "only to oauth_token")
	_, err = c.UpdateAccount("other", domain.AccountPatch{TokenEnv: ptr("1X")})
	checkErr(t, err, domain.CodeInvalidArgument, "token_env")
	sameData(t, c, before)
}

func TestRemoveAccount(t *testing.T) {
	tests := []struct {
		desc       string
		name       domain.AccountName
		force      bool
		code       domain.Code
		fragments  []string
		wantOrphan []domain.TargetName
		wantActive domain.Active
	}{
		{
			desc: "unknown", name: "nobody", code: domain.CodeAccountNotFound,
			fragments: []string{"'nobody' not found", "'bare', 'main', 'other'"},
		},
		{
			desc: "in use by a target", name: "other", code: domain.CodeAccountInUse,
			fragments: []string{"account 'other' is used by targets 'ecom'"},
		},
		{
			desc: "active and in use", name: "main", code: domain.CodeAccountInUse,
			fragments: []string{"'nows'"},
		},
		{
			desc: "forced: orphans returned", name: "other", force: true,
			wantOrphan: []domain.TargetName{"ecom"}, wantActive: domain.Active{Account: "main", Workspace: 7},
		},
		{
			desc: "forced removal of the active account clears [active]", name: "main", force: true,
			wantOrphan: []domain.TargetName{"nows"}, wantActive: domain.Active{},
		},
		{
			desc: "unused account", name: "bare",
			wantActive: domain.Active{Account: "main", Workspace: 7},
		},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			c := mustConfig(t, fixtureData())
			before := c.Clone()
			orphans, err := c.RemoveAccount(tt.name, tt.force)
			if checkErr(t, err, tt.code, tt.fragments...) {
				sameData(t, c, before)
				if orphans != nil {
					t.Errorf("orphans %v on error", orphans)
				}
				if tt.code == domain.CodeAccountInUse {
					e := asError(t, err)
					refs := stringsOfNames(c.TargetsReferencing(tt.name))
					if !reflect.DeepEqual(e.Details["targets"], refs) || e.Details["account"] != string(tt.name) {
						t.Errorf("details %v, want targets %v", e.Details, refs)
					}
					if !strings.Contains(e.Hint, "--force") {
						t.Errorf("hint %q does not mention --force", e.Hint)
					}
				}
				return
			}
			if !slices.Equal(orphans, tt.wantOrphan) {
				t.Errorf("orphans = %v, want %v", orphans, tt.wantOrphan)
			}
			if _, ok := c.Account(tt.name); ok {
				t.Error("account still present")
			}
			if c.Active() != tt.wantActive {
				t.Errorf("active = %+v, want %+v", c.Active(), tt.wantActive)
			}
			// Orphaned targets stay, still naming the removed account.
			for _, name := range tt.wantOrphan {
				tg, err := c.Target(name)
				if err != nil || tg.Account != tt.name {
					t.Errorf("target %s: %+v, %v", name, tg, err)
				}
			}
			if err := c.Validate(); err != nil {
				t.Errorf("config invalid after removal: %v", err)
			}
			if _, err := domain.NewConfig(c.Data()); err != nil {
				t.Errorf("config with orphans does not reload: %v", err)
			}
		})
	}
}

func stringsOfNames(in []domain.TargetName) []string {
	out := make([]string, len(in))
	for i, n := range in {
		out[i] = string(n)
	}
	return out
}

func TestUseAccount(t *testing.T) {
	tests := []struct {
		desc string
		name domain.AccountName
		code domain.Code
		want domain.Active
	}{
		{"switching clears the workspace", "other", "", domain.Active{Account: "other"}},
		{"re-selecting the active account also clears the workspace", "main", "", domain.Active{Account: "main"}},
		{"unknown", "nobody", domain.CodeAccountNotFound, domain.Active{Account: "main", Workspace: 7}},
		{"invalid name", "../x", domain.CodeAccountNotFound, domain.Active{Account: "main", Workspace: 7}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			c := mustConfig(t, fixtureData())
			err := c.UseAccount(tt.name)
			checkErr(t, err, tt.code)
			if c.Active() != tt.want {
				t.Errorf("active = %+v, want %+v", c.Active(), tt.want)
			}
			// The project never carries over: default projects are untouched.
			if a, _ := c.Account("other"); a.DefaultProject != "200" {
				t.Errorf("other.default_project = %q", a.DefaultProject)
			}
		})
	}
}

func TestClearActive(t *testing.T) {
	c := mustConfig(t, fixtureData())
	c.ClearActiveWorkspace()
	if c.Active() != (domain.Active{Account: "main"}) {
		t.Errorf("after ClearActiveWorkspace: %+v", c.Active())
	}
	c.ClearActive()
	if c.Active() != (domain.Active{}) {
		t.Errorf("after ClearActive: %+v", c.Active())
	}
}

func TestSetDefaultProject(t *testing.T) {
	// The fixture's active account is main (project 100) with workspace 7:
	// the workspace belongs to project 100, so it goes when main's project
	// changes, and stays otherwise.
	tests := []struct {
		desc    string
		account domain.AccountName
		project domain.ProjectID
		code    domain.Code
		want    domain.ProjectID
		wantWS  domain.WorkspaceID
	}{
		{"set another account's project", "bare", "55", "", "55", 7},
		{"replace the active account's project: its workspace goes", "main", "56", "", "56", 0},
		{"same project again: the workspace stays", "main", "100", "", "100", 7},
		{"clear", "main", "", "", "", 0},
		{"invalid", "main", "5x", domain.CodeInvalidArgument, "100", 7},
		{"unknown account", "nobody", "1", domain.CodeAccountNotFound, "", 7},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			c := mustConfig(t, fixtureData())
			checkErr(t, c.SetDefaultProject(tt.account, tt.project), tt.code)
			if a, ok := c.Account(tt.account); ok && a.DefaultProject != tt.want {
				t.Errorf("default_project = %q, want %q", a.DefaultProject, tt.want)
			}
			if ws := c.Active().Workspace; ws != tt.wantWS {
				t.Errorf("active workspace = %d, want %d", ws, tt.wantWS)
			}
		})
	}
}

// TestUpdateAccountProjectClearsActiveWorkspace: `account update --project`
// on the active account drops the workspace of the old project.
func TestUpdateAccountProjectClearsActiveWorkspace(t *testing.T) {
	c := mustConfig(t, fixtureData())
	p := domain.ProjectID("56")
	if _, err := c.UpdateAccount("main", domain.AccountPatch{DefaultProject: &p}); err != nil {
		t.Fatal(err)
	}
	if ws := c.Active().Workspace; ws != 0 {
		t.Errorf("active workspace = %d after the project changed, want none", ws)
	}
	r := domain.RegionEU
	c = mustConfig(t, fixtureData())
	if _, err := c.UpdateAccount("main", domain.AccountPatch{Region: &r}); err != nil {
		t.Fatal(err)
	}
	if ws := c.Active().Workspace; ws != 7 {
		t.Errorf("active workspace = %d after a region change, want 7 kept", ws)
	}
}

func TestSetActiveWorkspace(t *testing.T) {
	tests := []struct {
		desc      string
		active    domain.Active
		id        domain.WorkspaceID
		code      domain.Code
		fragments []string
		want      domain.Active
	}{
		{"set", domain.Active{Account: "main"}, 9, "", nil, domain.Active{Account: "main", Workspace: 9}},
		{"replace", domain.Active{Account: "main", Workspace: 7}, 8, "", nil, domain.Active{Account: "main", Workspace: 8}},
		{
			"no active account",
			domain.Active{},
			9, domain.CodeConfigError,
			[]string{"no active account", "9"},
			domain.Active{},
		},
		{
			"active account removed",
			domain.Active{Account: "gone"},
			9, domain.CodeAccountNotFound,
			[]string{"'gone'"},
			domain.Active{Account: "gone"},
		},
		{"zero id", domain.Active{Account: "main"}, 0, domain.CodeInvalidArgument, []string{"workspace id"}, domain.Active{Account: "main"}},
		{"negative id", domain.Active{Account: "main"}, -2, domain.CodeInvalidArgument, []string{"workspace id"}, domain.Active{Account: "main"}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			d := fixtureData()
			d.Active = tt.active
			c := mustConfig(t, d)
			err := c.SetActiveWorkspace(tt.id)
			if checkErr(t, err, tt.code, tt.fragments...) && tt.code == domain.CodeConfigError && asError(t, err).Hint == "" {
				t.Error("no hint")
			}
			if c.Active() != tt.want {
				t.Errorf("active = %+v, want %+v", c.Active(), tt.want)
			}
		})
	}
}

func TestAddTarget(t *testing.T) {
	tests := []struct {
		desc      string
		target    domain.Target
		code      domain.Code
		fragments []string
	}{
		{"new", domain.Target{Name: "t1", Account: "bare", Project: "9", Workspace: 3}, "", nil},
		{"no workspace", domain.Target{Name: "t2", Account: "main", Project: "9"}, "", nil},
		{
			"unknown account",
			domain.Target{Name: "t3", Account: "nobody", Project: "9"},
			domain.CodeAccountNotFound,
			[]string{"'nobody' not found", "'bare', 'main', 'other'"},
		},
		{
			"exists",
			domain.Target{Name: "ecom", Account: "main", Project: "9"},
			domain.CodeTargetExists,
			[]string{"target 'ecom' already exists"},
		},
		{"invalid", domain.Target{Name: "t4", Account: "main", Project: "p"}, domain.CodeInvalidArgument, []string{"target 't4'"}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			c := mustConfig(t, fixtureData())
			before := c.Clone()
			err := c.AddTarget(tt.target)
			if checkErr(t, err, tt.code, tt.fragments...) {
				sameData(t, c, before)
				return
			}
			got, err := c.Target(tt.target.Name)
			if err != nil || got != tt.target {
				t.Errorf("stored %+v, %v", got, err)
			}
			if c.Active() != before.Active() {
				t.Error("AddTarget changed [active]")
			}
		})
	}
	var empty domain.Config
	checkErr(t, empty.AddTarget(domain.Target{Name: "t", Account: "a", Project: "1"}), domain.CodeAccountNotFound, "(none)")
}

func TestRemoveTarget(t *testing.T) {
	c := mustConfig(t, fixtureData())
	before := c.Clone()
	err := c.RemoveTarget("nope")
	checkErr(t, err, domain.CodeTargetNotFound, "target 'nope' not found", "'ecom', 'ghost', 'nows'")
	e := asError(t, err)
	if !reflect.DeepEqual(e.Details["available"], []string{"ecom", "ghost", "nows"}) || e.Details["target"] != "nope" {
		t.Errorf("details = %v", e.Details)
	}
	sameData(t, c, before)

	checkErr(t, c.RemoveTarget("ecom"), "")
	if _, err := c.Target("ecom"); domain.CodeOf(err) != domain.CodeTargetNotFound {
		t.Errorf("target still there: %v", err)
	}
	if len(c.TargetsReferencing("other")) != 0 {
		t.Error("removed target still references its account")
	}
	// With the last reference gone, the account can be removed without --force.
	if _, err := c.RemoveAccount("other", false); err != nil {
		t.Errorf("RemoveAccount after RemoveTarget: %v", err)
	}
}

func TestUseTarget(t *testing.T) {
	tests := []struct {
		desc       string
		name       domain.TargetName
		code       domain.Code
		fragments  []string
		wantActive domain.Active
		wantProj   map[domain.AccountName]domain.ProjectID
	}{
		{
			desc: "with workspace", name: "ecom",
			wantActive: domain.Active{Account: "other", Workspace: 30},
			wantProj:   map[domain.AccountName]domain.ProjectID{"other": "300", "main": "100"},
		},
		{
			desc: "without workspace clears the active workspace", name: "nows",
			wantActive: domain.Active{Account: "main"},
			wantProj:   map[domain.AccountName]domain.ProjectID{"main": "400", "other": "200"},
		},
		{
			desc: "unknown target", name: "nope", code: domain.CodeTargetNotFound,
			fragments: []string{"'nope'", "'ecom', 'ghost', 'nows'"},
		},
		{
			desc: "orphan target", name: "ghost", code: domain.CodeAccountNotFound,
			fragments: []string{"target 'ghost'", "account 'gone' not found"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			c := mustConfig(t, fixtureData())
			before := c.Clone()
			got, err := c.UseTarget(tt.name)
			if checkErr(t, err, tt.code, tt.fragments...) {
				sameData(t, c, before) // all or nothing
				return
			}
			if got.Name != tt.name {
				t.Errorf("returned %+v", got)
			}
			if c.Active() != tt.wantActive {
				t.Errorf("active = %+v, want %+v", c.Active(), tt.wantActive)
			}
			for acct, p := range tt.wantProj {
				if a, _ := c.Account(acct); a.DefaultProject != p {
					t.Errorf("%s.default_project = %q, want %q", acct, a.DefaultProject, p)
				}
			}
		})
	}
}

func TestClone(t *testing.T) {
	orig := mustConfig(t, fixtureData())
	snapshot := mustConfig(t, fixtureData())
	cl := orig.Clone()
	sameData(t, cl, orig)

	if _, err := cl.AddAccount(browserAccount("new", "")); err != nil {
		t.Fatal(err)
	}
	if _, err := cl.UseTarget("ecom"); err != nil {
		t.Fatal(err)
	}
	if err := cl.AddTarget(domain.Target{Name: "t9", Account: "new", Project: "1"}); err != nil {
		t.Fatal(err)
	}
	if err := cl.RemoveTarget("nows"); err != nil {
		t.Fatal(err)
	}
	if err := cl.SetCustomHeader(&domain.Header{Name: "X-Other", Value: "v"}); err != nil {
		t.Fatal(err)
	}
	sameData(t, orig, snapshot)

	// Mutating the original does not reach the clone either.
	cl2 := orig.Clone()
	if _, err := orig.RemoveAccount("other", true); err != nil {
		t.Fatal(err)
	}
	if _, ok := cl2.Account("other"); !ok {
		t.Error("clone lost an account removed from the original")
	}

	// A plain assignment is not independent; Clone is the documented way.
	var empty domain.Config
	if c := empty.Clone(); !c.IsEmpty() {
		t.Error("clone of the zero config is not empty")
	}
}

func TestSetCustomHeader(t *testing.T) {
	tests := []struct {
		desc   string
		header *domain.Header
		code   domain.Code
	}{
		{"set", &domain.Header{Name: "X-Mixpanel-Cluster", Value: "internal"}, ""},
		{"token chars", &domain.Header{Name: "X!#$%&'*+-.^_`|~9", Value: "v"}, ""},
		{"obs-text value", &domain.Header{Name: "X-A", Value: "caf\xc3\xa9"}, ""},
		{"clear", nil, ""},
		{"empty name", &domain.Header{Name: "", Value: "v"}, domain.CodeInvalidArgument},
		{"space in name", &domain.Header{Name: "X A", Value: "v"}, domain.CodeInvalidArgument},
		{"colon in name", &domain.Header{Name: "X:A", Value: "v"}, domain.CodeInvalidArgument},
		{"non-ASCII name", &domain.Header{Name: "X-É", Value: "v"}, domain.CodeInvalidArgument},
		{"LF in value", &domain.Header{Name: "X-A", Value: "a\nb"}, domain.CodeInvalidArgument},
		{"CR in value", &domain.Header{Name: "X-A", Value: "a\rb"}, domain.CodeInvalidArgument},
		{"NUL in value", &domain.Header{Name: "X-A", Value: "a\x00"}, domain.CodeInvalidArgument},
		{"DEL in value", &domain.Header{Name: "X-A", Value: "a\x7f"}, domain.CodeInvalidArgument},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			c := mustConfig(t, fixtureData())
			err := c.SetCustomHeader(tt.header)
			if checkErr(t, err, tt.code) {
				if h := c.Settings().CustomHeader; h == nil || h.Name != "X-Team" {
					t.Errorf("header changed on error: %+v", h)
				}
				return
			}
			h := c.Settings().CustomHeader
			if tt.header == nil {
				if h != nil {
					t.Errorf("header not cleared: %+v", h)
				}
				return
			}
			if h == nil || *h != *tt.header {
				t.Fatalf("header = %+v, want %+v", h, tt.header)
			}
			tt.header.Value = "mutated"
			if c.Settings().CustomHeader.Value == "mutated" {
				t.Error("config aliases the caller's header")
			}
		})
	}
}

// TestSettingsLookups checks HasSecretCommand and TokenBackend against
// Settings, which they answer without copying.
func TestSettingsLookups(t *testing.T) {
	d := fixtureData()
	d.Settings.SecretCommands = domain.SecretCommands{"main": {"pass", "show", "mp/main"}}
	d.Settings.TokenBackends = domain.TokenBackends{"bare": domain.SecretBackendKeychain}
	c := mustConfig(t, d)
	for _, name := range []domain.AccountName{"main", "other", "bare", "nobody"} {
		if got, want := c.HasSecretCommand(name), len(c.Settings().SecretCommands[name]) > 0; got != want {
			t.Errorf("HasSecretCommand(%s) = %v, want %v", name, got, want)
		}
		if got, want := c.TokenBackend(name), c.Settings().TokenBackends.Of(name); got != want {
			t.Errorf("TokenBackend(%s) = %q, want %q", name, got, want)
		}
	}
	if !c.HasSecretCommand("main") || c.HasSecretCommand("other") || c.TokenBackend("bare") != domain.SecretBackendKeychain || c.TokenBackend("main") != domain.SecretBackendFile {
		t.Error("lookups do not see the settings")
	}
}

func TestLookups(t *testing.T) {
	c := mustConfig(t, fixtureData())
	if a, ok := c.Account("main"); !ok || a.Type != domain.TypeServiceAccount {
		t.Errorf("Account(main) = %+v, %v", a, ok)
	}
	if _, ok := c.Account("nobody"); ok {
		t.Error("Account(nobody) found")
	}
	a, err := c.LookupAccount("other")
	if err != nil || a.Name != "other" {
		t.Errorf("LookupAccount(other) = %+v, %v", a, err)
	}
	_, err = c.LookupAccount("nobody")
	checkErr(t, err, domain.CodeAccountNotFound, "account 'nobody' not found; accounts: 'bare', 'main', 'other'")
	e := asError(t, err)
	if !reflect.DeepEqual(e.Details["available"], []string{"bare", "main", "other"}) || e.Details["account"] != "nobody" || e.Hint == "" {
		t.Errorf("details %v hint %q", e.Details, e.Hint)
	}
	if got := c.TargetsReferencing("main"); !slices.Equal(got, []domain.TargetName{"nows"}) {
		t.Errorf("TargetsReferencing(main) = %v", got)
	}
	if got := c.TargetsReferencing("gone"); !slices.Equal(got, []domain.TargetName{"ghost"}) {
		t.Errorf("TargetsReferencing(gone) = %v", got)
	}
	if got := c.TargetsReferencing("bare"); len(got) != 0 {
		t.Errorf("TargetsReferencing(bare) = %v", got)
	}
	byAccount := c.TargetsByAccount()
	for _, name := range []domain.AccountName{"main", "gone", "bare", "other"} {
		if got, want := byAccount[name], c.TargetsReferencing(name); !slices.Equal(got, want) {
			t.Errorf("TargetsByAccount()[%s] = %v, TargetsReferencing = %v", name, got, want)
		}
	}
	// TargetRefs: every target once, by account then name, each account's
	// run being TargetsReferencing.
	refs := c.TargetRefs()
	if len(refs) != len(c.TargetNames()) {
		t.Errorf("TargetRefs() = %v, want one per target", refs)
	}
	for i, r := range refs {
		if i > 0 && (refs[i-1].Account > r.Account || refs[i-1].Account == r.Account && refs[i-1].Target >= r.Target) {
			t.Errorf("TargetRefs() not sorted by account, then target: %v", refs)
		}
		if tg, err := c.Target(r.Target); err != nil || tg.Account != r.Account {
			t.Errorf("TargetRefs()[%d] = %+v, target %+v, %v", i, r, tg, err)
		}
	}
	for _, name := range []domain.AccountName{"main", "gone", "bare", "other"} {
		var got []domain.TargetName
		for _, r := range refs {
			if r.Account == name {
				got = append(got, r.Target)
			}
		}
		if want := c.TargetsReferencing(name); !slices.Equal(got, want) {
			t.Errorf("TargetRefs() for %s = %v, TargetsReferencing = %v", name, got, want)
		}
	}
	if got := (domain.Config{}).TargetRefs(); len(got) != 0 {
		t.Errorf("empty config: TargetRefs() = %v", got)
	}
	if got := c.AccountNames(); !slices.Equal(got, []domain.AccountName{"bare", "main", "other"}) {
		t.Errorf("AccountNames() = %v", got)
	}
	if got := c.TargetNames(); !slices.Equal(got, []domain.TargetName{"ecom", "ghost", "nows"}) {
		t.Errorf("TargetNames() = %v", got)
	}
	if got := c.Accounts(); len(got) != 3 || got[0].Name != "bare" {
		t.Errorf("Accounts() = %v", got)
	}
	if got := c.Targets(); len(got) != 3 || got[0].Name != "ecom" {
		t.Errorf("Targets() = %v", got)
	}
}

// TestAllAccountsAndTargetsWalkInNameOrder: the iterators give what
// Accounts and Targets copy, in name order whatever the order of the data,
// and stop when asked to.
func TestAllAccountsAndTargetsWalkInNameOrder(t *testing.T) {
	cfg, err := domain.NewConfig(domain.ConfigData{
		Accounts: []domain.Account{saAccount("c", "3"), saAccount("a", "1"), saAccount("b", "2")},
		Targets: []domain.Target{
			{Name: "z", Account: "a", Project: "1"},
			{Name: "x", Account: "c", Project: "3"},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	var names []domain.AccountName
	for a := range cfg.AllAccounts() {
		names = append(names, a.Name)
	}
	if !slices.Equal(names, cfg.AccountNames()) || !slices.Equal(names, []domain.AccountName{"a", "b", "c"}) || cfg.AccountCount() != 3 {
		t.Fatalf("AllAccounts gave %v (count %d)", names, cfg.AccountCount())
	}
	var targets []domain.TargetName
	for tg := range cfg.AllTargets() {
		targets = append(targets, tg.Name)
	}
	if !slices.Equal(targets, []domain.TargetName{"x", "z"}) || cfg.TargetCount() != 2 {
		t.Fatalf("AllTargets gave %v (count %d)", targets, cfg.TargetCount())
	}
	n := 0
	for range cfg.AllAccounts() {
		n++
		break
	}
	if n != 1 {
		t.Fatalf("AllAccounts went on after break: %d", n)
	}
}
