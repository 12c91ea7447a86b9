package session

import (
	"context"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"

	"github.com/mpdata/mp/cmd/internal/command/commandtest"
	"github.com/mpdata/mp/cmd/internal/render"
	"github.com/mpdata/mp/domain"
)

const secret = "s3cr3t-session-NEVER-PRINT"

func fixture(t *testing.T) domain.Config {
	t.Helper()
	cfg, err := domain.NewConfig(domain.ConfigData{
		Accounts: []domain.Account{
			{
				Name: "team", Type: domain.TypeServiceAccount, Region: domain.RegionUS, DefaultProject: "3018488",
				Username: "team-mp", Secret: domain.NewSecret(secret),
			},
			{Name: "ci", Type: domain.TypeOAuthToken, Region: domain.RegionIN, DefaultProject: "3713224", TokenEnv: "MP_CI_TOKEN"},
		},
		Targets: []domain.Target{{Name: "stage", Account: "ci", Project: "3713224", Workspace: 9}},
		Active:  domain.Active{Account: "team"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func runSession(t *testing.T, env map[string]string, sel domain.Selection, explain bool, f render.Format) string {
	t.Helper()
	e := commandtest.New(fixture(t), env)
	err := run(context.Background(), &Options{IO: e.IO, App: e.Factory.App, Format: f, Selection: sel, Explain: explain})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(e.Stdout.String()+e.Stderr.String(), secret) {
		t.Fatal("secret printed")
	}
	return e.Stdout.String()
}

func TestSessionFormats(t *testing.T) {
	tests := []struct {
		format render.Format
		want   string
	}{
		{render.Table, "" +
			"account           team\n" +
			"account_type      service_account\n" +
			"region            us\n" +
			"account_source    config [active]\n" +
			"project           3018488\n" +
			"project_name      -\n" +
			"project_source    default_project of account team\n" +
			"workspace         auto-resolved on first use\n" +
			"workspace_name    -\n" +
			"workspace_source  none\n" +
			"user              -\n" +
			"bridge            -\n"},
		{render.JSON, `{
  "account": {
    "name": "team",
    "type": "service_account",
    "region": "us",
    "source": "config [active]"
  },
  "project": {
    "id": "3018488",
    "name": null,
    "source": "default_project of account team"
  },
  "workspace": null,
  "user": null,
  "bridge": null
}
`},
		{render.JSONL, `{"account":{"name":"team","type":"service_account","region":"us","source":"config [active]"},"project":{"id":"3018488","name":null,"source":"default_project of account team"},"workspace":null,"user":null,"bridge":null}` + "\n"},
		{render.CSV, "" +
			"account,account_type,region,account_source,project,project_name,project_source,workspace,workspace_name,workspace_source,user,bridge\n" +
			"team,service_account,us,config [active],3018488,,default_project of account team,,,none,,\n"},
		{render.Plain, "team\tservice_account\tus\tconfig [active]\t3018488\t\tdefault_project of account team\t\t\tnone\t\t\n"},
	}
	for _, tt := range tests {
		t.Run(string(tt.format), func(t *testing.T) {
			if got := runSession(t, nil, domain.Selection{}, false, tt.format); got != tt.want {
				t.Errorf("stdout:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func TestSessionExplainFormats(t *testing.T) {
	// --target stage with MP_PROJECT_ID set (to the target's project, so the
	// target's workspace applies): the env beats the target's
	// project, which beats the account default; the target's account
	// shadows the active one.
	env := map[string]string{"MP_PROJECT_ID": "3713224"}
	sel := domain.Selection{Target: "stage"}
	tests := []struct {
		format render.Format
		want   string
	}{
		{render.Table, "" +
			"account           ci\n" +
			"account_type      oauth_token\n" +
			"region            in\n" +
			"account_source    target stage\n" +
			"project           3713224\n" +
			"project_name      -\n" +
			"project_source    env MP_PROJECT_ID\n" +
			"workspace         9\n" +
			"workspace_name    -\n" +
			"workspace_source  target stage\n" +
			"user              -\n" +
			"bridge            -\n" +
			"\n" +
			"AXIS       ROLE      VALUE    SOURCE                         REASON\n" +
			"account    winner    ci       target stage\n" +
			"account    shadowed  team     config [active]\n" +
			"project    winner    3713224  env MP_PROJECT_ID\n" +
			"project    shadowed  3713224  target stage\n" +
			"project    shadowed  3713224  default_project of account ci\n" +
			"workspace  winner    9        target stage\n"},
		{render.CSV, "" +
			"axis,role,value,source,kind,name,reason\n" +
			"account,winner,ci,target stage,target,stage,\n" +
			"account,shadowed,team,config [active],active,[active],\n" +
			"project,winner,3713224,env MP_PROJECT_ID,env,MP_PROJECT_ID,\n" +
			"project,shadowed,3713224,target stage,target,stage,\n" +
			"project,shadowed,3713224,default_project of account ci,account_default,ci,\n" +
			"workspace,winner,9,target stage,target,stage,\n"},
		{render.Plain, "" +
			"account\twinner\tci\ttarget stage\ttarget\tstage\t\n" +
			"account\tshadowed\tteam\tconfig [active]\tactive\t[active]\t\n" +
			"project\twinner\t3713224\tenv MP_PROJECT_ID\tenv\tMP_PROJECT_ID\t\n" +
			"project\tshadowed\t3713224\ttarget stage\ttarget\tstage\t\n" +
			"project\tshadowed\t3713224\tdefault_project of account ci\taccount_default\tci\t\n" +
			"workspace\twinner\t9\ttarget stage\ttarget\tstage\t\n"},
		{render.JSONL, `{"account":{"name":"ci","type":"oauth_token","region":"in","source":"target stage"},"project":{"id":"3713224","name":null,"source":"env MP_PROJECT_ID"},"workspace":{"id":9,"name":null,"source":"target stage"},"user":null,"bridge":null,"explain":{"account":{"winner":{"kind":"target","name":"stage","value":"ci"},"shadowed":[{"kind":"active","name":"[active]","value":"team"}],"ignored":[]},"project":{"winner":{"kind":"env","name":"MP_PROJECT_ID","value":"3713224"},"shadowed":[{"kind":"target","name":"stage","value":"3713224"},{"kind":"account_default","name":"ci","value":"3713224"}],"ignored":[]},"workspace":{"winner":{"kind":"target","name":"stage","value":"9"},"shadowed":[],"ignored":[]}}}` + "\n"},
	}
	for _, tt := range tests {
		t.Run(string(tt.format), func(t *testing.T) {
			if got := runSession(t, env, sel, true, tt.format); got != tt.want {
				t.Errorf("stdout:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
	t.Run("json", func(t *testing.T) {
		got := runSession(t, env, sel, true, render.JSON)
		for _, want := range []string{
			"  \"explain\": {\n    \"account\": {\n      \"winner\": {\n        \"kind\": \"target\",\n        \"name\": \"stage\",\n        \"value\": \"ci\"\n      },\n      \"shadowed\": [\n        {\n          \"kind\": \"active\",",
			"    \"workspace\": {\n      \"winner\": {\n        \"kind\": \"target\",\n        \"name\": \"stage\",\n        \"value\": \"9\"\n      },\n      \"shadowed\": [],\n      \"ignored\": []\n    }\n  }\n}\n",
		} {
			if !strings.Contains(got, want) {
				t.Errorf("json lacks %q:\n%s", want, got)
			}
		}
	})
	t.Run("lazy workspace winner", func(t *testing.T) {
		got := runSession(t, nil, domain.Selection{}, true, render.Plain)
		if !strings.HasSuffix(got, "workspace\twinner\t\tnone\tnone\t\t\n") {
			t.Errorf("plain:\n%q", got)
		}
	})
	t.Run("ignored workspace", func(t *testing.T) {
		// MP_PROJECT_ID moves the session to another project: the target's
		// workspace belongs to the target's project and is ignored, with the
		// reason.
		env := map[string]string{"MP_PROJECT_ID": "555"}
		got := runSession(t, env, sel, true, render.Table)
		if !strings.HasSuffix(got, ""+
			"workspace  winner    -        none\n"+
			"workspace  ignored   9        target stage                   it belongs to project 3713224 of the target, not to the session project 555\n") {
			t.Errorf("table:\n%s", got)
		}
		got = runSession(t, env, sel, true, render.CSV)
		if !strings.HasSuffix(got, "workspace,winner,,none,none,,\n"+
			"workspace,ignored,9,target stage,target,stage,\"it belongs to project 3713224 of the target, not to the session project 555\"\n") {
			t.Errorf("csv:\n%s", got)
		}
	})
}

func TestFlags(t *testing.T) {
	e := commandtest.New(fixture(t), nil)
	var got *Options
	cmd := NewCmd(e.Factory, func(_ context.Context, o *Options) error { got = o; return nil })
	if err := commandtest.Run(e.Factory, []*cli.Command{cmd}, "-p", "12", "session", "--explain", "-w", "3", "-a", "ci", "-f", "csv"); err != nil {
		t.Fatal(err)
	}
	want := domain.Selection{Account: "ci", Project: "12", Workspace: 3}
	if !got.Explain || got.Selection != want || got.Format != render.CSV {
		t.Errorf("options = %+v", got)
	}
	// --target with --account on the same command line: exit 3, from the
	// resolver.
	err := commandtest.Run(e.Factory, []*cli.Command{NewCmd(e.Factory, nil)}, "-t", "stage", "session", "-a", "ci")
	if domain.CodeOf(err) != domain.CodeInvalidArgument {
		t.Errorf("--target with --account: %v", err)
	}
}

func TestBridgeFlag(t *testing.T) {
	e := commandtest.New(fixture(t), nil)
	var got *Options
	cmd := NewCmd(e.Factory, func(_ context.Context, o *Options) error { got = o; return nil })
	if err := commandtest.Run(e.Factory, []*cli.Command{cmd}, "session", "--bridge"); err != nil {
		t.Fatal(err)
	}
	if !got.Bridge || got.Explain {
		t.Errorf("options = %+v", got)
	}
	// Without a bridge in effect, --bridge is an error (plain session is not).
	err := run(context.Background(), &Options{IO: e.IO, App: e.Factory.App, Format: render.JSON, Bridge: true})
	if domain.CodeOf(err) != domain.CodeConfigError || !strings.Contains(err.Error(), "no bridge file is in effect") {
		t.Fatalf("--bridge without a bridge: %v", err)
	}
}
