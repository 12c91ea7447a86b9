package workspace

import (
	"context"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"

	"github.com/mpdata/mp/cmd/internal/command/commandtest"
	"github.com/mpdata/mp/domain"
)

func fixture(t *testing.T, active domain.Active) domain.Config {
	t.Helper()
	cfg, err := domain.NewConfig(domain.ConfigData{
		Accounts: []domain.Account{
			{Name: "team", Type: domain.TypeOAuthBrowser, Region: domain.RegionUS, DefaultProject: "3018488"},
			{Name: "ci", Type: domain.TypeOAuthBrowser, Region: domain.RegionEU, DefaultProject: "1"},
		},
		Active: active,
	})
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func runCLI(t *testing.T, cfg domain.Config, env map[string]string, args ...string) (*commandtest.Env, error) {
	t.Helper()
	e := commandtest.New(cfg, env)
	err := commandtest.Run(e.Factory, []*cli.Command{NewCmd(e.Factory)}, args...)
	return e, err
}

func TestShow(t *testing.T) {
	e, err := runCLI(t, fixture(t, domain.Active{Account: "team"}), nil, "workspace", "show")
	if err != nil {
		t.Fatal(err)
	}
	want := "id       auto-resolved on first use\nsource   none\naccount  team\nproject  3018488\n"
	if e.Stdout.String() != want {
		t.Errorf("stdout = %q, want %q", e.Stdout.String(), want)
	}
	e, err = runCLI(t, fixture(t, domain.Active{Account: "team", Workspace: 4}), map[string]string{"MP_WORKSPACE_ID": "8"}, "workspace", "show", "-f", "csv")
	if err != nil {
		t.Fatal(err)
	}
	if e.Stdout.String() != "id,source,account,project\n8,env MP_WORKSPACE_ID,team,3018488\n" {
		t.Errorf("csv = %q", e.Stdout.String())
	}
	e, err = runCLI(t, fixture(t, domain.Active{Account: "team"}), nil, "workspace", "show", "-w", "5", "-f", "json")
	if err != nil {
		t.Fatal(err)
	}
	if e.Stdout.String() != "{\n  \"id\": 5,\n  \"source\": \"flag --workspace\",\n  \"account\": \"team\",\n  \"project\": \"3018488\"\n}\n" {
		t.Errorf("json = %q", e.Stdout.String())
	}
}

func TestUse(t *testing.T) {
	e, err := runCLI(t, fixture(t, domain.Active{Account: "team"}), map[string]string{"MP_WORKSPACE_ID": "8"}, "workspace", "use", "42")
	if err != nil {
		t.Fatal(err)
	}
	if e.Stdout.String() != "Active workspace is now 42 (account 'team').\n" {
		t.Errorf("stdout = %q", e.Stdout.String())
	}
	if !strings.Contains(e.Stderr.String(), "env MP_WORKSPACE_ID overrides") {
		t.Errorf("stderr = %q", e.Stderr.String())
	}
	cfg, _ := e.Store.Load(context.Background())
	if cfg.Active().Workspace != 42 {
		t.Errorf("active = %+v", cfg.Active())
	}
	for _, args := range [][]string{
		{"workspace", "use", "0"},
		{"workspace", "use", "x"},
		{"workspace", "use"},
		{"workspace", "use", "3", "-w", "4"},
		{"workspace", "use", "3", "-a", "ci"},
	} {
		if _, err := runCLI(t, fixture(t, domain.Active{Account: "team"}), nil, args...); domain.CodeOf(err) != domain.CodeInvalidArgument {
			t.Errorf("%q: %v, want INVALID_ARGUMENT", args, err)
		}
	}
}
