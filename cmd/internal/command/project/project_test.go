package project

import (
	"context"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"

	"github.com/mpdata/mp/cmd/internal/command/commandtest"
	"github.com/mpdata/mp/domain"
)

func fixture(t *testing.T) domain.Config {
	t.Helper()
	cfg, err := domain.NewConfig(domain.ConfigData{
		Accounts: []domain.Account{
			{Name: "team", Type: domain.TypeOAuthBrowser, Region: domain.RegionUS, DefaultProject: "3018488"},
			{Name: "ci", Type: domain.TypeOAuthBrowser, Region: domain.RegionEU},
		},
		Active: domain.Active{Account: "team"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func runCLI(t *testing.T, env map[string]string, args ...string) (*commandtest.Env, error) {
	t.Helper()
	e := commandtest.New(fixture(t), env)
	err := commandtest.Run(e.Factory, []*cli.Command{NewCmd(e.Factory)}, args...)
	return e, err
}

func TestShow(t *testing.T) {
	e, err := runCLI(t, nil, "project", "show")
	if err != nil {
		t.Fatal(err)
	}
	if e.Stdout.String() != "id       3018488\naccount  team\nsource   default_project of account team\n" {
		t.Errorf("stdout = %q", e.Stdout.String())
	}
	e, err = runCLI(t, nil, "-p", "9", "project", "show", "-f", "plain")
	if err != nil {
		t.Fatal(err)
	}
	if e.Stdout.String() != "9\tteam\tflag --project\n" {
		t.Errorf("plain = %q", e.Stdout.String())
	}
	if _, err := runCLI(t, nil, "project", "show", "-a", "ci"); domain.CodeOf(err) != domain.CodeConfigError {
		t.Errorf("no project: %v", err)
	}
	if _, err := runCLI(t, nil, "project", "show", "-w", "1"); domain.CodeOf(err) != domain.CodeInvalidArgument {
		t.Errorf("-w not honoured: %v", err)
	}
}

func TestUse(t *testing.T) {
	e, err := runCLI(t, map[string]string{"MP_PROJECT_ID": "5"}, "project", "use", "77", "-a", "ci")
	if err != nil {
		t.Fatal(err)
	}
	if e.Stdout.String() != "Default project of account 'ci' is now 77.\n" {
		t.Errorf("stdout = %q", e.Stdout.String())
	}
	if !strings.Contains(e.Stderr.String(), "env MP_PROJECT_ID overrides") {
		t.Errorf("stderr = %q", e.Stderr.String())
	}
	cfg, _ := e.Store.Load(context.Background())
	if a, _ := cfg.Account("ci"); a.DefaultProject != "77" {
		t.Errorf("stored %+v", a)
	}
	for _, args := range [][]string{{"project", "use", "x1"}, {"project", "use"}, {"project", "use", "1", "-p", "2"}} {
		if _, err := runCLI(t, nil, args...); domain.CodeOf(err) != domain.CodeInvalidArgument {
			t.Errorf("%q: %v", args, err)
		}
	}
}
