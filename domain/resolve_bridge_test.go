package domain_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/mpdata/mp/domain"
)

// hostBridge is the bridge of the resolver stories: the host's account
// "host" (not in the fixture config), pinning project 600 and workspace 60,
// with a header that overrides the config's X-Team.
func hostBridge() *domain.Bridge {
	a := saAccount("host", "610")
	a.Secret = domain.NewSecret("bridge-sa-secret-51e0")
	return &domain.Bridge{
		Path: "/home/u/.claude/mixpanel/auth.json", Account: a, Project: "600", Workspace: 60,
		Headers: []domain.Header{{Name: "x-team", Value: "red"}, {Name: "X-Bridge", Value: "1"}},
	}
}

const bridgeSrc = "bridge /home/u/.claude/mixpanel/auth.json"

func TestResolveBridge(t *testing.T) {
	noPin := func(b *domain.Bridge) { b.Project, b.Workspace = "", 0 }
	tests := []struct {
		story  string
		env    map[string]string
		sel    domain.Selection
		cfg    func(*domain.ConfigData)
		bridge func(*domain.Bridge)

		account            domain.AccountName
		secret             string // the resolved account's secret, to tell bridge from config
		project            domain.ProjectID
		workspace          domain.WorkspaceID
		accountProv        string
		projectProv        string
		wsProv             string
		code               domain.Code
		fragments          []string
		headers            string
		ignoredProjectNote string
	}{
		{
			story:   "bridge only, no config: everything from the bridge",
			cfg:     func(d *domain.ConfigData) { *d = domain.ConfigData{} },
			account: "host", secret: "bridge-sa-secret-51e0", project: "600", workspace: 60,
			accountProv: bridgeSrc + "=host",
			projectProv: bridgeSrc + "=600 > default_project of account host=610",
			wsProv:      bridgeSrc + "=60",
			headers:     "[{x-team red} {X-Bridge 1}]",
		},
		{
			story:   "the bridge beats [active] on the account axis, and [active]'s workspace is not the bridge's",
			bridge:  noPin,
			account: "host", secret: "bridge-sa-secret-51e0", project: "610",
			accountProv: bridgeSrc + "=host > config [active]=main",
			projectProv: "default_project of account host=610",
			wsProv:      "none= ~ ignored config [active]=7",
			headers:     "[{x-team red} {X-Bridge 1}]",
		},
		{
			story:   "a target beats the bridge; the bridge's pins stay with the bridge's account",
			sel:     domain.Selection{Target: "nows"},
			account: "main", secret: fixtureSASecret, project: "400",
			accountProv: "target nows=main > " + bridgeSrc + "=host > config [active]=main",
			projectProv: "target nows=400 > default_project of account main=100 ~ ignored " + bridgeSrc + "=600",
			wsProv:      "none= ~ ignored " + bridgeSrc + "=60 ~ ignored config [active]=7",
		},
		{
			story:   "--account beats the bridge",
			sel:     domain.Selection{Account: "main"},
			account: "main", secret: fixtureSASecret, project: "100", workspace: 7,
			accountProv: "flag --account=main > " + bridgeSrc + "=host > config [active]=main",
			projectProv: "default_project of account main=100 ~ ignored " + bridgeSrc + "=600",
			wsProv:      "config [active]=7 ~ ignored " + bridgeSrc + "=60",
		},
		{
			story:   "--account naming the bridge's account (not in the config) selects the bridge's account",
			sel:     domain.Selection{Account: "host"},
			account: "host", secret: "bridge-sa-secret-51e0", project: "600", workspace: 60,
			accountProv: "flag --account=host > " + bridgeSrc + "=host > config [active]=main",
			projectProv: bridgeSrc + "=600 > default_project of account host=610",
			wsProv:      bridgeSrc + "=60 ~ ignored config [active]=7",
		},
		{
			story: "a config account with the bridge account's name wins for --account",
			cfg: func(d *domain.ConfigData) {
				d.Accounts = append(d.Accounts, saAccount("host", "700"))
			},
			sel:     domain.Selection{Account: "host"},
			account: "host", secret: fixtureSASecret, project: "700",
			accountProv: "flag --account=host > " + bridgeSrc + "=host > config [active]=main",
			projectProv: "default_project of account host=700 ~ ignored " + bridgeSrc + "=600",
			wsProv:      "none= ~ ignored " + bridgeSrc + "=60 ~ ignored config [active]=7",
		},
		{
			story:   "MP_PROJECT_ID and --workspace beat the bridge's pins; the pinned workspace needs the pinned project",
			env:     kv("MP_PROJECT_ID", "42"),
			account: "host", secret: "bridge-sa-secret-51e0", project: "42",
			accountProv: bridgeSrc + "=host > config [active]=main",
			projectProv: "env MP_PROJECT_ID=42 > " + bridgeSrc + "=600 > default_project of account host=610",
			wsProv:      "none= ~ ignored " + bridgeSrc + "=60 ~ ignored config [active]=7",
		},
		{
			story:   "--workspace beats the bridge's workspace",
			sel:     domain.Selection{Workspace: 5},
			account: "host", secret: "bridge-sa-secret-51e0", project: "600", workspace: 5,
			accountProv: bridgeSrc + "=host > config [active]=main",
			projectProv: bridgeSrc + "=600 > default_project of account host=610",
			wsProv:      "flag --workspace=5 > " + bridgeSrc + "=60 ~ ignored config [active]=7",
		},
		{
			story:   "a pinned workspace without a pinned project belongs to the account's default project",
			bridge:  func(b *domain.Bridge) { b.Project = "" },
			account: "host", secret: "bridge-sa-secret-51e0", project: "610", workspace: 60,
			accountProv: bridgeSrc + "=host > config [active]=main",
			projectProv: "default_project of account host=610",
			wsProv:      bridgeSrc + "=60 ~ ignored config [active]=7",
		},
		{
			story:   "the env quad beats the bridge",
			env:     quadEnv,
			account: "env-service-account", secret: "env-secret-81c0", project: "42",
			accountProv: quadSrc + " > " + bridgeSrc + "=host > config [active]=main",
			projectProv: "env MP_PROJECT_ID=42 > default_project of account env-service-account=42 ~ ignored " + bridgeSrc + "=600",
			wsProv:      "none= ~ ignored " + bridgeSrc + "=60 ~ ignored config [active]=7",
		},
		{
			story: "an unknown --account lists the config's accounts",
			sel:   domain.Selection{Account: "nobody"},
			code:  domain.CodeAccountNotFound, fragments: []string{"nobody"},
		},
		{
			story:  "bridge account without any project: the no-project error names it",
			cfg:    func(d *domain.ConfigData) { *d = domain.ConfigData{} },
			bridge: func(b *domain.Bridge) { noPin(b); b.Account.DefaultProject = "" },
			code:   domain.CodeConfigError, fragments: []string{"no project for account 'host'"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.story, func(t *testing.T) {
			d := fixtureData()
			if tt.cfg != nil {
				tt.cfg(&d)
			}
			b := hostBridge()
			if tt.bridge != nil {
				tt.bridge(b)
			}
			in := domain.ResolveInput{Env: tt.env, Explicit: tt.sel, Config: mustConfig(t, d), Bridge: b}
			res, err := domain.Resolve(in)
			if checkErr(t, err, tt.code, tt.fragments...) {
				return
			}
			s := res.Session
			if s.Account.Name != tt.account || s.Account.Secret.Reveal() != tt.secret {
				t.Errorf("account = %s (secret %q), want %s (%q)", s.Account.Name, s.Account.Secret.Reveal(), tt.account, tt.secret)
			}
			if s.Project != tt.project || s.Workspace != tt.workspace {
				t.Errorf("project %q workspace %d, want %q %d", s.Project, s.Workspace, tt.project, tt.workspace)
			}
			for axis, pair := range map[string][2]string{
				"account":   {provString(res.Provenance.Account), tt.accountProv},
				"project":   {provString(res.Provenance.Project), tt.projectProv},
				"workspace": {provString(res.Provenance.Workspace), tt.wsProv},
			} {
				if pair[0] != pair[1] {
					t.Errorf("%s provenance:\n got %s\nwant %s", axis, pair[0], pair[1])
				}
			}
			want := tt.headers
			if want == "" {
				want = "[{x-team red} {X-Bridge 1}]"
			}
			if got := fmt.Sprint(s.Headers); got != want {
				t.Errorf("headers %s, want %s", got, want)
			}
			if p := fmt.Sprintf("%+v", res.Provenance); strings.Contains(p, "bridge-sa-secret") {
				t.Errorf("provenance holds the bridge secret: %s", p)
			}
		})
	}
}

func TestResolveBridgeHeadersKeepConfigHeader(t *testing.T) {
	b := hostBridge()
	b.Headers = []domain.Header{{Name: "X-Other", Value: "1"}}
	res, err := domain.Resolve(domain.ResolveInput{Config: mustConfig(t, fixtureData()), Bridge: b})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := fmt.Sprint(res.Session.Headers), "[{X-Team blue} {X-Other 1}]"; got != want {
		t.Fatalf("headers %s, want %s (config first, bridge on top)", got, want)
	}
}
