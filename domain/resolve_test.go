package domain_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/mpdata/mp/domain"
)

// provString renders an axis as "winner > shadowed > … ~ ignored …", each
// candidate as "<source>=<value>", so that rows can state the whole
// provenance.
func provString(p domain.AxisProvenance) string {
	parts := []string{p.Winner.Source.String() + "=" + p.Winner.Value}
	for _, c := range p.Shadowed {
		parts = append(parts, c.Source.String()+"="+c.Value)
	}
	out := strings.Join(parts, " > ")
	for _, c := range p.Ignored {
		out += " ~ ignored " + c.Source.String() + "=" + c.Value
	}
	return out
}

const (
	quadSrc   = "env MP_USERNAME+MP_SECRET+MP_PROJECT_ID+MP_REGION=env-service-account"
	tripleSrc = "env MP_OAUTH_TOKEN+MP_PROJECT_ID+MP_REGION=env-oauth-token"
)

// Environment fragments.
var (
	quadEnv = map[string]string{
		"MP_USERNAME": "ci-bot", "MP_SECRET": "env-secret-81c0", "MP_PROJECT_ID": "42", "MP_REGION": "eu",
	}
	tripleEnv = map[string]string{
		"MP_OAUTH_TOKEN": "env-token-33af", "MP_PROJECT_ID": "42", "MP_REGION": "in",
	}
)

func env(parts ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, p := range parts {
		for k, v := range p {
			out[k] = v
		}
	}
	return out
}

func kv(pairs ...string) map[string]string {
	out := map[string]string{}
	for i := 0; i+1 < len(pairs); i += 2 {
		out[pairs[i]] = pairs[i+1]
	}
	return out
}

// resolveStory is one row: inputs, then either the full expected result or
// the expected error.
type resolveStory struct {
	story string
	env   map[string]string
	sel   domain.Selection
	cfg   func(*domain.ConfigData) // edits the fixture; nil keeps it

	// Expected success.
	account     domain.AccountName
	accountType domain.AccountType
	project     domain.ProjectID
	workspace   domain.WorkspaceID
	accountProv string
	projectProv string
	wsProv      string

	// Expected failure.
	code      domain.Code
	fragments []string
	check     func(t *testing.T, e *domain.Error) // extra checks on the error
}

func resolveStories() []resolveStory {
	noActiveWS := func(d *domain.ConfigData) { d.Active.Workspace = 0 }
	emptyCfg := func(d *domain.ConfigData) { *d = domain.ConfigData{} }
	return []resolveStory{
		// Plain config.
		{
			story:   "active account, its default project, the active workspace",
			account: "main", accountType: domain.TypeServiceAccount, project: "100", workspace: 7,
			accountProv: "config [active]=main",
			projectProv: "default_project of account main=100",
			wsProv:      "config [active]=7",
		},
		{
			story:   "nothing selects a workspace: lazy, source none",
			cfg:     noActiveWS,
			account: "main", accountType: domain.TypeServiceAccount, project: "100", workspace: 0,
			accountProv: "config [active]=main", projectProv: "default_project of account main=100",
			wsProv: "none=",
		},

		// Account axis: quad > triple > --account > target > active.
		{
			story: "service-account quad beats the OAuth triple, --account and [active]",
			env:   env(tripleEnv, quadEnv), sel: domain.Selection{Account: "other"},
			account: "env-service-account", accountType: domain.TypeServiceAccount, project: "42",
			accountProv: quadSrc + " > " + tripleSrc + " > flag --account=other > config [active]=main",
			projectProv: "env MP_PROJECT_ID=42 > default_project of account env-service-account=42",
			wsProv:      "none= ~ ignored config [active]=7",
		},
		{
			story: "OAuth triple beats --account",
			env:   env(tripleEnv), sel: domain.Selection{Account: "other"},
			account: "env-oauth-token", accountType: domain.TypeOAuthToken, project: "42",
			accountProv: tripleSrc + " > flag --account=other > config [active]=main",
			projectProv: "env MP_PROJECT_ID=42 > default_project of account env-oauth-token=42",
			wsProv:      "none= ~ ignored config [active]=7",
		},
		{
			story: "the quad needs all four variables: without MP_SECRET --account wins",
			env:   kv("MP_USERNAME", "u", "MP_PROJECT_ID", "42", "MP_REGION", "eu"), sel: domain.Selection{Account: "other"},
			account: "other", accountType: domain.TypeOAuthToken, project: "42",
			accountProv: "flag --account=other > config [active]=main ~ ignored " + quadSrc,
			projectProv: "env MP_PROJECT_ID=42 > default_project of account other=200",
			wsProv:      "none= ~ ignored config [active]=7",
		},
		{
			story:   "the triple needs MP_REGION: without it the config decides",
			env:     kv("MP_OAUTH_TOKEN", "t", "MP_PROJECT_ID", "42"),
			account: "main", accountType: domain.TypeServiceAccount, project: "42",
			accountProv: "config [active]=main ~ ignored " + tripleSrc,
			projectProv: "env MP_PROJECT_ID=42 > default_project of account main=100",
			wsProv:      "none= ~ ignored config [active]=7",
		},
		{
			story: "the quad works with an empty config",
			env:   env(quadEnv), cfg: emptyCfg,
			account: "env-service-account", accountType: domain.TypeServiceAccount, project: "42",
			accountProv: quadSrc,
			projectProv: "env MP_PROJECT_ID=42 > default_project of account env-service-account=42",
			wsProv:      "none=",
		},
		{
			story: "--account beats MP_ACCOUNT",
			env:   kv("MP_ACCOUNT", "main"), sel: domain.Selection{Account: "other"},
			account: "other", accountType: domain.TypeOAuthToken, project: "200",
			accountProv: "flag --account=other > env MP_ACCOUNT=main > config [active]=main",
			projectProv: "default_project of account other=200",
			wsProv:      "none= ~ ignored config [active]=7",
		},
		{
			story:   "MP_ACCOUNT alone selects the account",
			env:     kv("MP_ACCOUNT", "other"),
			account: "other", accountType: domain.TypeOAuthToken, project: "200",
			accountProv: "env MP_ACCOUNT=other > config [active]=main",
			projectProv: "default_project of account other=200",
			wsProv:      "none= ~ ignored config [active]=7",
		},
		{
			story:   "--target selects account, project and workspace",
			sel:     domain.Selection{Target: "ecom"},
			account: "other", accountType: domain.TypeOAuthToken, project: "300", workspace: 30,
			accountProv: "target ecom=other > config [active]=main",
			projectProv: "target ecom=300 > default_project of account other=200",
			wsProv:      "target ecom=30 ~ ignored config [active]=7",
		},
		{
			story:   "MP_TARGET acts like --target",
			env:     kv("MP_TARGET", "ecom"),
			account: "other", accountType: domain.TypeOAuthToken, project: "300", workspace: 30,
			accountProv: "target ecom=other > config [active]=main",
			projectProv: "target ecom=300 > default_project of account other=200",
			wsProv:      "target ecom=30 ~ ignored config [active]=7",
		},
		{
			story: "--target with MP_ACCOUNT set: no error, the target wins",
			env:   kv("MP_ACCOUNT", "main"), sel: domain.Selection{Target: "ecom"},
			account: "other", accountType: domain.TypeOAuthToken, project: "300", workspace: 30,
			accountProv: "target ecom=other > config [active]=main",
			projectProv: "target ecom=300 > default_project of account other=200",
			wsProv:      "target ecom=30 ~ ignored config [active]=7",
		},
		{
			story: "--account with MP_TARGET set: no error, the flag wins and MP_TARGET is ignored whole",
			env:   kv("MP_TARGET", "ecom"), sel: domain.Selection{Account: "main"},
			account: "main", accountType: domain.TypeServiceAccount, project: "100", workspace: 7,
			accountProv: "flag --account=main > config [active]=main",
			projectProv: "default_project of account main=100",
			wsProv:      "config [active]=7",
		},
		{
			story: "--account with MP_TARGET set: the target's project does not leak to the flag's account",
			env:   kv("MP_TARGET", "ecom"), sel: domain.Selection{Account: "bare"},
			code: domain.CodeConfigError, fragments: []string{"no project for account 'bare'"},
		},
		{
			story: "--target flag beats MP_TARGET",
			env:   kv("MP_TARGET", "nows"), sel: domain.Selection{Target: "ecom"},
			account: "other", accountType: domain.TypeOAuthToken, project: "300", workspace: 30,
			accountProv: "target ecom=other > config [active]=main",
			projectProv: "target ecom=300 > default_project of account other=200",
			wsProv:      "target ecom=30 ~ ignored config [active]=7",
		},

		// Project axis: MP_PROJECT_ID > --project > target > default_project.
		{
			story: "MP_PROJECT_ID beats --project and the default project",
			env:   kv("MP_PROJECT_ID", "1"), sel: domain.Selection{Project: "2"},
			account: "main", accountType: domain.TypeServiceAccount, project: "1",
			accountProv: "config [active]=main",
			projectProv: "env MP_PROJECT_ID=1 > flag --project=2 > default_project of account main=100",
			wsProv:      "none= ~ ignored config [active]=7",
		},
		{
			story:   "--project beats the default project",
			sel:     domain.Selection{Project: "2"},
			account: "main", accountType: domain.TypeServiceAccount, project: "2",
			accountProv: "config [active]=main",
			projectProv: "flag --project=2 > default_project of account main=100",
			wsProv:      "none= ~ ignored config [active]=7",
		},
		{
			story: "--project beats MP_TARGET's project (env-only target never conflicts)",
			env:   kv("MP_TARGET", "ecom"), sel: domain.Selection{Project: "2"},
			account: "other", accountType: domain.TypeOAuthToken, project: "2",
			accountProv: "target ecom=other > config [active]=main",
			projectProv: "flag --project=2 > target ecom=300 > default_project of account other=200",
			wsProv:      "none= ~ ignored target ecom=30 ~ ignored config [active]=7",
		},
		{
			story: "MP_PROJECT_ID=1 with --target ecom works: project 1, account from the target, its workspace stays with project 300",
			env:   kv("MP_PROJECT_ID", "1"), sel: domain.Selection{Target: "ecom"},
			account: "other", accountType: domain.TypeOAuthToken, project: "1",
			accountProv: "target ecom=other > config [active]=main",
			projectProv: "env MP_PROJECT_ID=1 > target ecom=300 > default_project of account other=200",
			wsProv:      "none= ~ ignored target ecom=30 ~ ignored config [active]=7",
		},
		{
			story:   "the project never carries over: --account uses that account's default",
			sel:     domain.Selection{Account: "other"},
			account: "other", accountType: domain.TypeOAuthToken, project: "200",
			accountProv: "flag --account=other > config [active]=main",
			projectProv: "default_project of account other=200",
			wsProv:      "none= ~ ignored config [active]=7",
		},

		// Workspace axis: MP_WORKSPACE_ID > --workspace > target > [active] > none.
		{
			story: "MP_WORKSPACE_ID beats --workspace and [active]",
			env:   kv("MP_WORKSPACE_ID", "9"), sel: domain.Selection{Workspace: 8},
			account: "main", accountType: domain.TypeServiceAccount, project: "100", workspace: 9,
			accountProv: "config [active]=main", projectProv: "default_project of account main=100",
			wsProv: "env MP_WORKSPACE_ID=9 > flag --workspace=8 > config [active]=7",
		},
		{
			story:   "MP_WORKSPACE_ID is normalised in provenance",
			env:     kv("MP_WORKSPACE_ID", "009"),
			account: "main", accountType: domain.TypeServiceAccount, project: "100", workspace: 9,
			accountProv: "config [active]=main", projectProv: "default_project of account main=100",
			wsProv: "env MP_WORKSPACE_ID=9 > config [active]=7",
		},
		{
			story:   "--workspace beats [active]",
			sel:     domain.Selection{Workspace: 8},
			account: "main", accountType: domain.TypeServiceAccount, project: "100", workspace: 8,
			accountProv: "config [active]=main", projectProv: "default_project of account main=100",
			wsProv: "flag --workspace=8 > config [active]=7",
		},
		{
			story: "MP_WORKSPACE_ID beats the target's workspace",
			env:   kv("MP_WORKSPACE_ID", "5"), sel: domain.Selection{Target: "ecom"},
			account: "other", accountType: domain.TypeOAuthToken, project: "300", workspace: 5,
			accountProv: "target ecom=other > config [active]=main",
			projectProv: "target ecom=300 > default_project of account other=200",
			wsProv:      "env MP_WORKSPACE_ID=5 > target ecom=30 ~ ignored config [active]=7",
		},
		{
			story:   "a target on another project does not pick up the [active] workspace",
			sel:     domain.Selection{Target: "nows"},
			account: "main", accountType: domain.TypeServiceAccount, project: "400",
			accountProv: "target nows=main > config [active]=main",
			projectProv: "target nows=400 > default_project of account main=100",
			wsProv:      "none= ~ ignored config [active]=7",
		},
		{
			story: "a target without a workspace and no [active] workspace: none",
			sel:   domain.Selection{Target: "nows"}, cfg: noActiveWS,
			account: "main", accountType: domain.TypeServiceAccount, project: "400",
			accountProv: "target nows=main > config [active]=main",
			projectProv: "target nows=400 > default_project of account main=100",
			wsProv:      "none=",
		},
		{
			story: "MP_WORKSPACE_ID with the env quad",
			env:   env(quadEnv, kv("MP_WORKSPACE_ID", "11")), cfg: emptyCfg,
			account: "env-service-account", accountType: domain.TypeServiceAccount, project: "42", workspace: 11,
			accountProv: quadSrc,
			projectProv: "env MP_PROJECT_ID=42 > default_project of account env-service-account=42",
			wsProv:      "env MP_WORKSPACE_ID=11",
		},

		// --target exclusivity.
		{
			story: "--target with --account", sel: domain.Selection{Target: "ecom", Account: "main"},
			code: domain.CodeInvalidArgument, fragments: []string{"--target cannot be combined with --account"},
		},
		{
			story: "--target with --project", sel: domain.Selection{Target: "ecom", Project: "1"},
			code: domain.CodeInvalidArgument, fragments: []string{"--target cannot be combined with --project"},
		},
		{
			story: "--target with --workspace", sel: domain.Selection{Target: "ecom", Workspace: 3},
			code: domain.CodeInvalidArgument, fragments: []string{"--target cannot be combined with --workspace"},
		},
		{
			story: "--target with all three", sel: domain.Selection{Target: "ecom", Account: "main", Project: "1", Workspace: 3},
			code: domain.CodeInvalidArgument, fragments: []string{"--account, --project, --workspace"},
			check: func(t *testing.T, e *domain.Error) {
				if want := []string{"--target", "--account", "--project", "--workspace"}; !reflect.DeepEqual(e.Details["conflicts"], want) {
					t.Errorf("conflicts = %v, want %v", e.Details["conflicts"], want)
				}
			},
		},
		{
			story: "env-only values never conflict with --target",
			env:   kv("MP_ACCOUNT", "main", "MP_PROJECT_ID", "1", "MP_WORKSPACE_ID", "2"), sel: domain.Selection{Target: "ecom"},
			account: "other", accountType: domain.TypeOAuthToken, project: "1", workspace: 2,
			accountProv: "target ecom=other > config [active]=main",
			projectProv: "env MP_PROJECT_ID=1 > target ecom=300 > default_project of account other=200",
			wsProv:      "env MP_WORKSPACE_ID=2 ~ ignored target ecom=30 ~ ignored config [active]=7",
		},
		{
			story: "MP_TARGET and MP_ACCOUNT without flags: error naming both",
			env:   kv("MP_TARGET", "ecom", "MP_ACCOUNT", "main"),
			code:  domain.CodeInvalidArgument, fragments: []string{"MP_TARGET", "MP_ACCOUNT"},
			check: func(t *testing.T, e *domain.Error) {
				if !strings.Contains(e.Hint, "--target") || !strings.Contains(e.Hint, "--account") {
					t.Errorf("hint %q", e.Hint)
				}
			},
		},
		{
			story: "MP_TARGET and MP_ACCOUNT with only --project: still an error",
			env:   kv("MP_TARGET", "ecom", "MP_ACCOUNT", "main"), sel: domain.Selection{Project: "5"},
			code: domain.CodeInvalidArgument, fragments: []string{"MP_TARGET", "MP_ACCOUNT"},
		},
		{
			story: "MP_TARGET and MP_ACCOUNT with --account: the flag settles it",
			env:   kv("MP_TARGET", "ecom", "MP_ACCOUNT", "main"), sel: domain.Selection{Account: "other"},
			account: "other", accountType: domain.TypeOAuthToken, project: "200",
			accountProv: "flag --account=other > env MP_ACCOUNT=main > config [active]=main",
			projectProv: "default_project of account other=200",
			wsProv:      "none= ~ ignored config [active]=7",
		},

		// Env validation happens only where the value is used.
		{
			story:   "invalid MP_REGION alone is ignored",
			env:     kv("MP_REGION", "mars"),
			account: "main", accountType: domain.TypeServiceAccount, project: "100", workspace: 7,
			accountProv: "config [active]=main", projectProv: "default_project of account main=100",
			wsProv: "config [active]=7",
		},
		{
			story:   "invalid MP_REGION with an incomplete quad is ignored",
			env:     kv("MP_REGION", "US", "MP_USERNAME", "u", "MP_PROJECT_ID", "3"),
			account: "main", accountType: domain.TypeServiceAccount, project: "3",
			accountProv: "config [active]=main ~ ignored " + quadSrc, projectProv: "env MP_PROJECT_ID=3 > default_project of account main=100",
			wsProv: "none= ~ ignored config [active]=7",
		},
		{
			story: "invalid MP_REGION with a complete quad is an error",
			env:   env(quadEnv, kv("MP_REGION", "US")),
			code:  domain.CodeInvalidArgument, fragments: []string{"MP_REGION", `"US"`},
		},
		{
			story: "invalid MP_REGION with a complete triple is an error",
			env:   env(tripleEnv, kv("MP_REGION", "mars")),
			code:  domain.CodeInvalidArgument, fragments: []string{"MP_REGION", `"mars"`},
		},
		{
			story: "invalid MP_PROJECT_ID names the variable",
			env:   kv("MP_PROJECT_ID", "12a"),
			code:  domain.CodeInvalidArgument, fragments: []string{"env MP_PROJECT_ID", `"12a"`},
		},
		{
			story: "invalid MP_PROJECT_ID in a quad names the variable",
			env:   env(quadEnv, kv("MP_PROJECT_ID", "p-1")),
			code:  domain.CodeInvalidArgument, fragments: []string{"env MP_PROJECT_ID", `"p-1"`},
		},
		{
			story: "MP_WORKSPACE_ID=0 names the variable",
			env:   kv("MP_WORKSPACE_ID", "0"),
			code:  domain.CodeInvalidArgument, fragments: []string{"env MP_WORKSPACE_ID", `"0"`},
		},
		{
			story: "MP_WORKSPACE_ID=-1 names the variable",
			env:   kv("MP_WORKSPACE_ID", "-1"),
			code:  domain.CodeInvalidArgument, fragments: []string{"env MP_WORKSPACE_ID", `"-1"`},
		},
		{
			story: "MP_WORKSPACE_ID with spaces names the variable",
			env:   kv("MP_WORKSPACE_ID", " 4"),
			code:  domain.CodeInvalidArgument, fragments: []string{"env MP_WORKSPACE_ID"},
		},
		{
			story: "invalid --project names the flag",
			sel:   domain.Selection{Project: "abc"},
			code:  domain.CodeInvalidArgument, fragments: []string{"flag --project", `"abc"`},
		},
		{
			story: "negative --workspace names the flag",
			sel:   domain.Selection{Workspace: -4},
			code:  domain.CodeInvalidArgument, fragments: []string{"flag --workspace"},
		},
		{
			story: "path-traversal --account is refused",
			sel:   domain.Selection{Account: "../x"},
			code:  domain.CodeInvalidArgument, fragments: []string{"flag --account", "invalid account name"},
		},
		{
			story: "invalid MP_ACCOUNT names the variable",
			env:   kv("MP_ACCOUNT", "a b"),
			code:  domain.CodeInvalidArgument, fragments: []string{"env MP_ACCOUNT", "invalid account name"},
		},
		{
			story: "invalid --target names the flag",
			sel:   domain.Selection{Target: "a.b"},
			code:  domain.CodeInvalidArgument, fragments: []string{"flag --target", "invalid target name"},
		},

		// Not found.
		{
			story: "unknown --account lists the accounts",
			sel:   domain.Selection{Account: "nobody"},
			code:  domain.CodeAccountNotFound, fragments: []string{"flag --account", "'nobody' not found", "'bare', 'main', 'other'"},
			check: availableIs("bare", "main", "other"),
		},
		{
			story: "unknown MP_ACCOUNT lists the accounts",
			env:   kv("MP_ACCOUNT", "nobody"),
			code:  domain.CodeAccountNotFound, fragments: []string{"env MP_ACCOUNT", "'bare', 'main', 'other'"},
		},
		{
			story: "unknown --target lists the targets",
			sel:   domain.Selection{Target: "nope"},
			code:  domain.CodeTargetNotFound, fragments: []string{"flag --target", "'nope' not found", "'ecom', 'ghost', 'nows'"},
			check: availableIs("ecom", "ghost", "nows"),
		},
		{
			story: "unknown MP_TARGET lists the targets",
			env:   kv("MP_TARGET", "nope"),
			code:  domain.CodeTargetNotFound, fragments: []string{"env MP_TARGET", "'ecom', 'ghost', 'nows'"},
		},
		{
			story: "orphan target: its account is not found",
			sel:   domain.Selection{Target: "ghost"},
			code:  domain.CodeAccountNotFound, fragments: []string{"target ghost", "account 'gone' not found"},
		},
		{
			story: "[active] names a removed account",
			cfg:   func(d *domain.ConfigData) { d.Active.Account = "gone" },
			code:  domain.CodeAccountNotFound, fragments: []string{"config [active]", "'gone'"},
		},

		// Nothing configured.
		{
			story: "no account anywhere: CONFIG_ERROR listing every fix",
			cfg:   emptyCfg,
			code:  domain.CodeConfigError, fragments: []string{"no account configured"},
			check: func(t *testing.T, e *domain.Error) {
				fixes, _ := e.Details["fixes"].([]string)
				all := strings.Join(fixes, "\n")
				for _, want := range []string{"MP_USERNAME", "MP_SECRET", "MP_OAUTH_TOKEN", "MP_PROJECT_ID", "MP_REGION", "mp account add", "mp login", "--account", "--target"} {
					if !strings.Contains(all, want) {
						t.Errorf("fixes %q do not mention %s", fixes, want)
					}
				}
				if e.Hint == "" {
					t.Error("no hint")
				}
			},
		},
		{
			story: "accounts exist but none is active nor named: say so, and how to pick one",
			cfg: func(d *domain.ConfigData) {
				d.Active.Account = ""
			},
			code: domain.CodeConfigError, fragments: []string{"no active account", "(bare, main, other)"},
			check: func(t *testing.T, e *domain.Error) {
				if names, _ := e.Details["accounts"].([]string); len(names) != 3 {
					t.Errorf("details %v do not list the 3 accounts", e.Details)
				}
				if !strings.Contains(e.Hint, "mp account use bare") {
					t.Errorf("hint %q does not say how to pick one", e.Hint)
				}
			},
		},
		{
			story: "no account: an incomplete quad does not count",
			env:   kv("MP_USERNAME", "u", "MP_SECRET", "s", "MP_REGION", "us"), cfg: emptyCfg,
			code: domain.CodeConfigError, fragments: []string{"no account configured"},
		},
		{
			story: "no project: error naming the account",
			sel:   domain.Selection{Account: "bare"},
			code:  domain.CodeConfigError, fragments: []string{"no project for account 'bare'"},
			check: func(t *testing.T, e *domain.Error) {
				if e.Details["account"] != "bare" {
					t.Errorf("details %v", e.Details)
				}
				fixes, _ := e.Details["fixes"].([]string)
				all := strings.Join(fixes, "\n")
				for _, want := range []string{"mp project use", "--project", "MP_PROJECT_ID", "mp target use"} {
					if !strings.Contains(all, want) {
						t.Errorf("fixes %q do not mention %s", fixes, want)
					}
				}
			},
		},
	}
}

func availableIs(names ...string) func(*testing.T, *domain.Error) {
	return func(t *testing.T, e *domain.Error) {
		if !reflect.DeepEqual(e.Details["available"], names) {
			t.Errorf("available = %v, want %v", e.Details["available"], names)
		}
	}
}

func TestResolveStories(t *testing.T) {
	for _, st := range resolveStories() {
		t.Run(st.story, func(t *testing.T) {
			d := fixtureData()
			if st.cfg != nil {
				st.cfg(&d)
			}
			in := domain.ResolveInput{Env: st.env, Explicit: st.sel, Config: mustConfig(t, d)}
			res, err := domain.Resolve(in)
			if checkErr(t, err, st.code, st.fragments...) {
				if st.check != nil {
					st.check(t, asError(t, err))
				}
				if !reflect.DeepEqual(res, domain.Resolution{}) {
					t.Errorf("failed Resolve returned %+v", res)
				}
				return
			}
			s := res.Session
			if s.Account.Name != st.account || s.Account.Type != st.accountType {
				t.Errorf("account = %s (%s), want %s (%s)", s.Account.Name, s.Account.Type, st.account, st.accountType)
			}
			if s.Project != st.project {
				t.Errorf("project = %q, want %q", s.Project, st.project)
			}
			if s.Workspace != st.workspace {
				t.Errorf("workspace = %d, want %d", s.Workspace, st.workspace)
			}
			for axis, pair := range map[string][2]string{
				"account":   {provString(res.Provenance.Account), st.accountProv},
				"project":   {provString(res.Provenance.Project), st.projectProv},
				"workspace": {provString(res.Provenance.Workspace), st.wsProv},
			} {
				if pair[0] != pair[1] {
					t.Errorf("%s provenance:\n got %s\nwant %s", axis, pair[0], pair[1])
				}
			}
			// The winners agree with the session.
			if res.Provenance.Account.Winner.Value != string(s.Account.Name) ||
				res.Provenance.Project.Winner.Value != string(s.Project) ||
				res.Provenance.Workspace.Winner.Value != s.Workspace.String() {
				t.Errorf("provenance winners disagree with the session: %+v", res.Provenance)
			}
			if !s.Workspace.IsSet() && res.Provenance.Workspace.Winner.Source.Kind != domain.SourceNone {
				t.Errorf("lazy workspace has source %v", res.Provenance.Workspace.Winner.Source)
			}

			// ResolveAccount agrees with the account axis of Resolve.
			a, prov, err := domain.ResolveAccount(in)
			if err != nil || !a.Equal(s.Account) || !reflect.DeepEqual(prov, res.Provenance.Account) {
				t.Errorf("ResolveAccount = %s, %+v, %v", a.Name, prov, err)
			}
		})
	}
}

func TestResolveDoesNotMutateInput(t *testing.T) {
	for _, st := range resolveStories() {
		d := fixtureData()
		if st.cfg != nil {
			st.cfg(&d)
		}
		cfg := mustConfig(t, d)
		snapshot := cfg.Clone()
		e := env(st.env)
		_, _ = domain.Resolve(domain.ResolveInput{Env: e, Explicit: st.sel, Config: cfg})
		if !reflect.DeepEqual(cfg.Data(), snapshot.Data()) || !reflect.DeepEqual(e, env(st.env)) {
			t.Errorf("%s: Resolve mutated its input", st.story)
		}
	}
}

func TestResolveEnvAccounts(t *testing.T) {
	res, err := domain.Resolve(domain.ResolveInput{Env: env(quadEnv)})
	checkErr(t, err, "")
	want := domain.Account{
		Name: domain.EnvServiceAccountName, Type: domain.TypeServiceAccount, Region: domain.RegionEU,
		DefaultProject: "42", Username: "ci-bot", Secret: domain.NewSecret("env-secret-81c0"),
	}
	if !res.Session.Account.Equal(want) {
		t.Errorf("quad account = %+v, want %+v", res.Session.Account, want)
	}
	if err := res.Session.Account.Validate(); err != nil {
		t.Errorf("quad account is invalid: %v", err)
	}

	res, err = domain.Resolve(domain.ResolveInput{Env: env(tripleEnv)})
	checkErr(t, err, "")
	want = domain.Account{
		Name: domain.EnvOAuthTokenName, Type: domain.TypeOAuthToken, Region: domain.RegionIN,
		DefaultProject: "42", Token: domain.NewSecret("env-token-33af"),
	}
	if !res.Session.Account.Equal(want) {
		t.Errorf("triple account = %+v, want %+v", res.Session.Account, want)
	}
	if err := res.Session.Account.Validate(); err != nil {
		t.Errorf("triple account is invalid: %v", err)
	}

	// An in-memory env account is not written into the config: a config
	// account of the same name is shadowed, not used.
	d := fixtureData()
	d.Accounts = append(d.Accounts, browserAccount("env-service-account", "9"))
	res, err = domain.Resolve(domain.ResolveInput{Env: env(quadEnv), Config: mustConfig(t, d)})
	checkErr(t, err, "")
	if res.Session.Account.Type != domain.TypeServiceAccount || res.Session.Project != "42" {
		t.Errorf("env account = %+v / %s", res.Session.Account, res.Session.Project)
	}
}

func TestResolveHeaders(t *testing.T) {
	res, err := domain.Resolve(domain.ResolveInput{Config: mustConfig(t, fixtureData())})
	checkErr(t, err, "")
	if want := []domain.Header{{Name: "X-Team", Value: "blue"}}; !reflect.DeepEqual(res.Session.Headers, want) {
		t.Errorf("headers = %v, want %v", res.Session.Headers, want)
	}
	// The session's headers are its own.
	res.Session.Headers[0].Value = "changed"
	res2, _ := domain.Resolve(domain.ResolveInput{Config: mustConfig(t, fixtureData())})
	if res2.Session.Headers[0].Value != "blue" {
		t.Error("session headers alias the config")
	}

	d := fixtureData()
	d.Settings = domain.Settings{}
	res, err = domain.Resolve(domain.ResolveInput{Config: mustConfig(t, d)})
	checkErr(t, err, "")
	if len(res.Session.Headers) != 0 {
		t.Errorf("headers = %v, want none", res.Session.Headers)
	}
}

func TestResolveProvenanceHoldsNoSecret(t *testing.T) {
	secrets := []string{"env-secret-81c0", "env-token-33af", fixtureSASecret, fixtureToken}
	inputs := []domain.ResolveInput{
		{Env: env(quadEnv, tripleEnv), Explicit: domain.Selection{Account: "main"}},
		{Env: env(tripleEnv), Explicit: domain.Selection{Account: "other"}},
		{Explicit: domain.Selection{Account: "main"}},
		{Explicit: domain.Selection{Target: "ecom"}},
		{Env: kv("MP_ACCOUNT", "other")},
	}
	for i, in := range inputs {
		in.Config = mustConfig(t, fixtureData())
		res, err := domain.Resolve(in)
		if err != nil {
			t.Fatalf("%d: %v", i, err)
		}
		var outs []string
		for _, v := range []any{res.Provenance, res, res.Session, res.Session.Account} {
			outs = append(outs, fmt.Sprintf("%v", v), fmt.Sprintf("%+v", v), fmt.Sprintf("%#v", v))
			b, err := json.Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			outs = append(outs, string(b))
		}
		for _, out := range outs {
			for _, s := range secrets {
				if strings.Contains(out, s) {
					t.Errorf("%d: rendering leaks a secret: %s", i, out)
				}
			}
		}
		// Reveal is still the way to the credential.
		acct := res.Session.Account
		if acct.Secret.Reveal()+acct.Token.Reveal() == "" && acct.Type != domain.TypeOAuthBrowser {
			t.Errorf("%d: resolved account has no credential", i)
		}
	}

	// Errors carry no secret either.
	for _, e := range []map[string]string{
		env(quadEnv, kv("MP_REGION", "XX")),
		env(tripleEnv, kv("MP_PROJECT_ID", "bad")),
		env(quadEnv, kv("MP_WORKSPACE_ID", "0")),
	} {
		_, err := domain.Resolve(domain.ResolveInput{Env: e})
		if err == nil {
			t.Fatal("want an error")
		}
		de := asError(t, err)
		text := fmt.Sprintf("%v %+v %#v %s", err, de, de.Details, de.Hint)
		for _, s := range secrets {
			if strings.Contains(text, s) {
				t.Errorf("error leaks a secret: %s", text)
			}
		}
	}
}

func TestSourceString(t *testing.T) {
	tests := []struct {
		src  domain.Source
		want string
	}{
		{domain.Source{Kind: domain.SourceEnv, Name: "MP_PROJECT_ID"}, "env MP_PROJECT_ID"},
		{domain.Source{Kind: domain.SourceFlag, Name: "--project"}, "flag --project"},
		{domain.Source{Kind: domain.SourceTarget, Name: "ecom"}, "target ecom"},
		{domain.Source{Kind: domain.SourceBridge, Name: "/x/auth.json"}, "bridge /x/auth.json"},
		{domain.Source{Kind: domain.SourceActive, Name: "[active]"}, "config [active]"},
		{domain.Source{Kind: domain.SourceAccountDefault, Name: "main"}, "default_project of account main"},
		{domain.Source{Kind: domain.SourceNone}, "none"},
	}
	for _, tt := range tests {
		if got := tt.src.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.src, got, tt.want)
		}
	}
}

func TestSelectionAndEnvVars(t *testing.T) {
	if !(domain.Selection{}).IsZero() || (domain.Selection{Workspace: 1}).IsZero() {
		t.Error("Selection.IsZero")
	}
	want := []string{"MP_ACCOUNT", "MP_TARGET", "MP_PROJECT_ID", "MP_WORKSPACE_ID", "MP_USERNAME", "MP_SECRET", "MP_REGION", "MP_OAUTH_TOKEN"}
	got := domain.ResolverEnvVars()
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("ResolverEnvVars() = %v, want %v", got, want)
	}
}
