package target

import (
	"context"
	"testing"

	"github.com/urfave/cli/v2"

	"github.com/mpdata/mp/cmd/internal/command/commandtest"
	"github.com/mpdata/mp/cmd/internal/render"
	"github.com/mpdata/mp/domain"
)

func fixture(t *testing.T) domain.Config {
	t.Helper()
	cfg, err := domain.NewConfig(domain.ConfigData{
		Accounts: []domain.Account{
			{
				Name: "team", Type: domain.TypeServiceAccount, Region: domain.RegionUS, DefaultProject: "3018488",
				Username: "team-mp", Secret: domain.NewSecret("x"),
			},
			{Name: "ci", Type: domain.TypeOAuthToken, Region: domain.RegionIN, DefaultProject: "3713224", TokenEnv: "MP_CI_TOKEN"},
		},
		Targets: []domain.Target{
			{Name: "ecom", Account: "team", Project: "3018488", Workspace: 3448414},
			{Name: "stage", Account: "ci", Project: "3713224"},
		},
		Active: domain.Active{Account: "team"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestListFormats(t *testing.T) {
	tests := []struct {
		format render.Format
		want   string
	}{
		{render.Table, "" +
			"NAME   ACCOUNT  PROJECT  WORKSPACE\n" +
			"ecom   team     3018488  3448414\n" +
			"stage  ci       3713224  -\n"},
		{render.JSON, `[
  {
    "name": "ecom",
    "account": "team",
    "project": "3018488",
    "workspace": 3448414
  },
  {
    "name": "stage",
    "account": "ci",
    "project": "3713224",
    "workspace": null
  }
]
`},
		{render.JSONL, "" +
			`{"name":"ecom","account":"team","project":"3018488","workspace":3448414}` + "\n" +
			`{"name":"stage","account":"ci","project":"3713224","workspace":null}` + "\n"},
		{render.CSV, "name,account,project,workspace\necom,team,3018488,3448414\nstage,ci,3713224,\n"},
		{render.Plain, "ecom\tteam\t3018488\t3448414\nstage\tci\t3713224\t\n"},
	}
	for _, tt := range tests {
		t.Run(string(tt.format), func(t *testing.T) {
			env := commandtest.New(fixture(t), nil)
			if err := listRun(context.Background(), &ListOptions{IO: env.IO, App: env.Factory.App, Format: tt.format}); err != nil {
				t.Fatal(err)
			}
			if got := env.Stdout.String(); got != tt.want {
				t.Errorf("stdout:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
	env := commandtest.New(domain.Config{}, nil)
	if err := listRun(context.Background(), &ListOptions{IO: env.IO, App: env.Factory.App, Format: render.JSON}); err != nil {
		t.Fatal(err)
	}
	if env.Stdout.String() != "[]\n" || env.Stderr.Len() == 0 {
		t.Errorf("empty: stdout %q stderr %q", env.Stdout.String(), env.Stderr.String())
	}
}

func runCLI(t *testing.T, cfg domain.Config, args ...string) (*commandtest.Env, error) {
	t.Helper()
	e := commandtest.New(cfg, nil)
	err := commandtest.Run(e.Factory, []*cli.Command{NewCmd(e.Factory)}, append([]string{"target"}, args...)...)
	return e, err
}

func TestAddFlagsCaptured(t *testing.T) {
	env := commandtest.New(domain.Config{}, nil)
	var got *AddOptions
	cmd := commandtest.Group("target", NewCmdAdd(env.Factory, func(_ context.Context, o *AddOptions) error {
		got = o
		return nil
	}))
	if err := commandtest.Run(env.Factory, []*cli.Command{cmd}, "target", "add", "t1", "-a", "team", "--project", "12", "-w", "5"); err != nil {
		t.Fatal(err)
	}
	if got.Name != "t1" || got.Account != "team" || got.Project != "12" || got.Workspace != "5" || !got.WorkspaceSet {
		t.Errorf("options = %+v", got)
	}
	if err := commandtest.Run(env.Factory, []*cli.Command{cmd}, "target", "add", "t2", "--account", "team", "-p", "12"); err != nil {
		t.Fatal(err)
	}
	if got.WorkspaceSet {
		t.Errorf("WorkspaceSet without --workspace: %+v", got)
	}
}

func TestAdd(t *testing.T) {
	e, err := runCLI(t, fixture(t), "add", "prod", "--account", "ci", "--project", "77", "--workspace", "8")
	if err != nil {
		t.Fatal(err)
	}
	if e.Stdout.String() != "Added target 'prod' (account 'ci', project 77, workspace 8).\n" {
		t.Errorf("stdout = %q", e.Stdout.String())
	}
	cfg, _ := e.Store.Load(context.Background())
	if tg, err := cfg.Target("prod"); err != nil || tg != (domain.Target{Name: "prod", Account: "ci", Project: "77", Workspace: 8}) {
		t.Errorf("stored %+v, %v", tg, err)
	}
	tests := []struct {
		args []string
		code domain.Code
	}{
		{[]string{"add", "x", "--project", "1"}, domain.CodeInvalidArgument},
		{[]string{"add", "x", "--account", "team"}, domain.CodeInvalidArgument},
		{[]string{"add", "x", "--account", "team", "-p", "abc"}, domain.CodeInvalidArgument},
		{[]string{"add", "x", "--account", "team", "-p", "1", "-w", "0"}, domain.CodeInvalidArgument},
		{[]string{"add", "x", "--account", "ghost", "-p", "1"}, domain.CodeAccountNotFound},
		{[]string{"add", "ecom", "--account", "team", "-p", "1"}, domain.CodeTargetExists},
		{[]string{"add", "x", "-t", "ecom", "--account", "team", "-p", "1"}, domain.CodeInvalidArgument},
	}
	for _, tt := range tests {
		if _, err := runCLI(t, fixture(t), tt.args...); domain.CodeOf(err) != tt.code {
			t.Errorf("%q: err = %v, want %s", tt.args, err, tt.code)
		}
	}
	// The global --account (before the command) is not the target's
	// account: an error, not silently used or ignored.
	e = commandtest.New(fixture(t), nil)
	err = commandtest.Run(e.Factory, []*cli.Command{NewCmd(e.Factory)}, "-a", "team", "target", "add", "x", "-p", "1")
	if domain.CodeOf(err) != domain.CodeInvalidArgument {
		t.Errorf("global --account: %v", err)
	}
}

func TestShowUseRemove(t *testing.T) {
	e, err := runCLI(t, fixture(t), "show", "stage")
	if err != nil {
		t.Fatal(err)
	}
	if e.Stdout.String() != "name       stage\naccount    ci\nproject    3713224\nworkspace  -\n" {
		t.Errorf("show = %q", e.Stdout.String())
	}

	e, err = runCLI(t, fixture(t), "use", "ecom")
	if err != nil {
		t.Fatal(err)
	}
	if e.Stdout.String() != "Using target 'ecom': account 'team', project 3018488, workspace 3448414.\n" {
		t.Errorf("use = %q", e.Stdout.String())
	}
	cfg, _ := e.Store.Load(context.Background())
	if cfg.Active() != (domain.Active{Account: "team", Workspace: 3448414}) {
		t.Errorf("active = %+v", cfg.Active())
	}

	e, err = runCLI(t, fixture(t), "remove", "stage", "-f", "jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if e.Stdout.String() != `{"name":"stage","account":"ci","project":"3713224","workspace":null}`+"\n" {
		t.Errorf("remove = %q", e.Stdout.String())
	}
	for _, args := range [][]string{{"show", "nope"}, {"use", "nope"}, {"remove", "nope"}} {
		if _, err := runCLI(t, fixture(t), args...); domain.CodeOf(err) != domain.CodeTargetNotFound {
			t.Errorf("%q: %v", args, err)
		}
	}
	for _, args := range [][]string{{"show"}, {"use", "a", "b"}, {"remove", "bad/name"}, {"list", "extra"}} {
		if _, err := runCLI(t, fixture(t), args...); domain.CodeOf(err) != domain.CodeInvalidArgument {
			t.Errorf("%q: %v", args, err)
		}
	}
}
