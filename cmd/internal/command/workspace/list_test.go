package workspace

import (
	"strings"
	"testing"

	"github.com/urfave/cli/v2"

	"github.com/mpdata/mp/cmd/internal/command/commandtest"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports/inmem"
)

// listEnv is an oauth_token account "ci" on project 3713224 whose /me
// lists three workspaces of that project.
func listEnv(t *testing.T, active domain.Active) *commandtest.Env {
	t.Helper()
	const token = "tok-ws-NEVER-PRINT"
	cfg, err := domain.NewConfig(domain.ConfigData{
		Accounts: []domain.Account{{Name: "ci", Type: domain.TypeOAuthToken, Region: domain.RegionEU, DefaultProject: "3713224", Token: domain.NewSecret(token)}},
		Active:   active,
	})
	if err != nil {
		t.Fatal(err)
	}
	e := commandtest.New(cfg, nil)
	e.API.SetMe(domain.BearerCredential(domain.NewSecret(token)), domain.RegionEU, domain.Me{
		User:     domain.User{ID: 1, Email: "ci@example.com"},
		Projects: []domain.Project{{ID: "3713224", Name: "AI Demo", HasWorkspaces: true}, {ID: "5", Name: "Other"}},
		Workspaces: []domain.Workspace{
			{ID: 3448414, Name: "All Project Data", ProjectID: "3713224", IsDefault: true},
			{ID: 3448415, Name: "Marketing", ProjectID: "3713224"},
			{ID: 3448416, Name: "Finance", ProjectID: "3713224"},
		},
	})
	e.API.SetWorkspaces("5", domain.Workspace{ID: 77, Name: "Only", ProjectID: "5"})
	return e
}

func TestList(t *testing.T) {
	e := listEnv(t, domain.Active{Account: "ci"})
	err := commandtest.Run(e.Factory, []*cli.Command{NewCmd(e.Factory)}, "workspace", "list")
	if err != nil {
		t.Fatal(err)
	}
	want := "" +
		"ID       NAME              DEFAULT  ACTIVE\n" +
		"3448414  All Project Data  *        *\n" +
		"3448415  Marketing\n" +
		"3448416  Finance\n"
	if e.Stdout.String() != want {
		t.Errorf("table (lazy default is active):\n%s\nwant:\n%s", e.Stdout.String(), want)
	}

	e = listEnv(t, domain.Active{Account: "ci", Workspace: 3448415})
	err = commandtest.Run(e.Factory, []*cli.Command{NewCmd(e.Factory)}, "workspace", "list", "-f", "jsonl")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(e.Stdout.String()), "\n")
	if len(lines) != 3 || lines[1] != `{"id":3448415,"name":"Marketing","is_default":false,"is_active":true}` {
		t.Errorf("jsonl with the active workspace set:\n%s", e.Stdout.String())
	}

	e = listEnv(t, domain.Active{Account: "ci"})
	err = commandtest.Run(e.Factory, []*cli.Command{NewCmd(e.Factory)}, "workspace", "list", "-p", "5", "-f", "csv")
	if err != nil {
		t.Fatal(err)
	}
	if e.Stdout.String() != "id,name,is_default,is_active\n77,Only,false,true\n" {
		t.Errorf("csv from the workspaces endpoint:\n%s", e.Stdout.String())
	}
	if e.API.Count(inmem.EndpointWorkspaces) != 1 {
		t.Errorf("workspaces endpoint calls = %d", e.API.Count(inmem.EndpointWorkspaces))
	}
}

func TestListErrors(t *testing.T) {
	e := listEnv(t, domain.Active{Account: "ci"})
	for _, args := range [][]string{{"workspace", "list", "x"}, {"workspace", "list", "-t", "x", "-a", "ci"}} {
		err := commandtest.Run(e.Factory, []*cli.Command{NewCmd(e.Factory)}, args...)
		if domain.CodeOf(err) != domain.CodeInvalidArgument {
			t.Errorf("%q: %v", args, err)
		}
	}
	e = listEnv(t, domain.Active{Account: "ci"})
	e.API.FailNext(inmem.EndpointMe, domain.NewError(domain.CodeAuthFailed, "401"))
	err := commandtest.Run(e.Factory, []*cli.Command{NewCmd(e.Factory)}, "workspace", "list")
	if domain.CodeOf(err) != domain.CodeAuthFailed {
		t.Errorf("401: %v", err)
	}
}
