package account

import (
	"context"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"

	"github.com/mpdata/mp/cmd/internal/command/commandtest"
	"github.com/mpdata/mp/domain"
)

// runCLI runs `mp account …` over cfg and env and returns the test
// environment and the error.
func runCLI(t *testing.T, cfg domain.Config, env map[string]string, stdin string, args ...string) (*commandtest.Env, error) {
	t.Helper()
	e := commandtest.New(cfg, env)
	e.Stdin.WriteString(stdin)
	err := commandtest.Run(e.Factory, []*cli.Command{NewCmd(e.Factory)}, append([]string{"account"}, args...)...)
	return e, err
}

func TestShow(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string
		code domain.Code
	}{
		{"active", nil, []string{"show"}, "" +
			"name                   team\n" +
			"type                   service_account\n" +
			"region                 us\n" +
			"default_project        3018488\n" +
			"is_active              true\n" +
			"referenced_by_targets  ecom\n" +
			"secret_store           config\n", ""},
		{
			"by name, json", nil,
			[]string{"show", "personal", "-f", "jsonl"},
			`{"name":"personal","type":"oauth_browser","region":"eu","default_project":null,"is_active":false,"referenced_by_targets":[],"secret_store":"file"}` + "\n", "",
		},
		{"by --account", nil, []string{"show", "-a", "ci", "-f", "plain"}, "ci\toauth_token\tin\t3713224\tfalse\tstage\tenv\n", ""},
		{"by --target", nil, []string{"show", "-t", "stage", "-f", "plain"}, "ci\toauth_token\tin\t3713224\tfalse\tstage\tenv\n", ""},
		{"by MP_ACCOUNT", map[string]string{"MP_ACCOUNT": "personal"}, []string{"show", "-f", "plain"}, "personal\toauth_browser\teu\t\tfalse\t\tfile\n", ""},
		{"flag beats MP_ACCOUNT", map[string]string{"MP_ACCOUNT": "personal"}, []string{"show", "-a", "ci", "-f", "plain"}, "ci\toauth_token\tin\t3713224\tfalse\tstage\tenv\n", ""},
		{"unknown", nil, []string{"show", "nope"}, "", domain.CodeAccountNotFound},
		{"name and flag", nil, []string{"show", "team", "-a", "ci"}, "", domain.CodeInvalidArgument},
		{"project flag not honoured", nil, []string{"show", "-p", "1"}, "", domain.CodeInvalidArgument},
		{"two names", nil, []string{"show", "a", "b"}, "", domain.CodeInvalidArgument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := runCLI(t, fixture(t), tt.env, "", tt.args...)
			if tt.code != "" {
				if domain.CodeOf(err) != tt.code {
					t.Fatalf("err = %v, want %s", err, tt.code)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if e.Stdout.String() != tt.want {
				t.Errorf("stdout:\n%q\nwant:\n%q", e.Stdout.String(), tt.want)
			}
			if strings.Contains(e.Stdout.String(), fixtureSecret) {
				t.Error("secret printed")
			}
		})
	}
}

func TestUpdate(t *testing.T) {
	e, err := runCLI(t, fixture(t), nil, "new-secret\n", "update", "team", "--region", "eu", "--clear-project", "--secret-stdin")
	if err != nil {
		t.Fatal(err)
	}
	if e.Stdout.String() != "Updated account 'team' (service_account, eu).\n" {
		t.Errorf("stdout = %q", e.Stdout.String())
	}
	a := stored(t, e, "team")
	if a.Region != "eu" || a.DefaultProject != "" || a.Secret.Reveal() != "new-secret" || a.Username != "team-mp" {
		t.Errorf("stored %#v", a)
	}

	e, err = runCLI(t, fixture(t), nil, "", "update", "ci", "-p", "99", "--token-env", "OTHER", "-f", "csv")
	if err != nil {
		t.Fatal(err)
	}
	if e.Stdout.String() != "name,type,region,default_project,is_active,referenced_by_targets,secret_store\nci,oauth_token,in,99,false,stage,env\n" {
		t.Errorf("stdout = %q", e.Stdout.String())
	}
	if a := stored(t, e, "ci"); a.TokenEnv != "OTHER" || a.DefaultProject != "99" {
		t.Errorf("stored %#v", a)
	}

	for _, args := range [][]string{
		{"update", "team"},                     // nothing to update
		{"update", "team", "--token-env", "X"}, // wrong type
		{"update", "team", "-p", "1", "--clear-project"},
		{"update", "team", "--region", "mars"},
		{"update", "team", "--secret", "x"},
		{"update"},
	} {
		if _, err := runCLI(t, fixture(t), nil, "", args...); domain.CodeOf(err) != domain.CodeInvalidArgument {
			t.Errorf("%q: err = %v, want INVALID_ARGUMENT", args, err)
		}
	}
	if _, err := runCLI(t, fixture(t), nil, "", "update", "ghost", "--region", "eu"); domain.CodeOf(err) != domain.CodeAccountNotFound {
		t.Errorf("unknown account: %v", err)
	}
}

func TestUse(t *testing.T) {
	e, err := runCLI(t, fixture(t), nil, "", "use", "ci")
	if err != nil {
		t.Fatal(err)
	}
	if e.Stdout.String() != "Active account is now 'ci' (oauth_token, in).\n" {
		t.Errorf("stdout = %q", e.Stdout.String())
	}
	cfg, _ := e.Store.Load(context.Background())
	if cfg.Active() != (domain.Active{Account: "ci"}) {
		t.Errorf("active = %+v (workspace must be cleared)", cfg.Active())
	}
	if _, err := runCLI(t, fixture(t), nil, "", "use", "nope"); domain.CodeOf(err) != domain.CodeAccountNotFound {
		t.Errorf("unknown: %v", err)
	}
	if _, err := runCLI(t, fixture(t), nil, "", "-a", "ci", "use", "ci"); domain.CodeOf(err) != domain.CodeInvalidArgument {
		t.Errorf("global --account on use: %v", err)
	}
}

func TestRemove(t *testing.T) {
	e, err := runCLI(t, fixture(t), nil, "", "remove", "team")
	if domain.CodeOf(err) != domain.CodeAccountInUse {
		t.Fatalf("remove in use: %v", err)
	}
	if cfg, _ := e.Store.Load(context.Background()); len(cfg.Accounts()) != 3 {
		t.Error("account removed without --force")
	}

	e, err = runCLI(t, fixture(t), nil, "", "remove", "team", "--force")
	if err != nil {
		t.Fatal(err)
	}
	want := "Removed account 'team'.\nOrphaned targets (their account no longer exists): ecom\n"
	if e.Stdout.String() != want {
		t.Errorf("stdout = %q, want %q", e.Stdout.String(), want)
	}
	if !strings.Contains(e.Stderr.String(), "active account") {
		t.Errorf("stderr = %q", e.Stderr.String())
	}
	if got := e.Storage.Removed(); len(got) != 1 || got[0] != "team" {
		t.Errorf("storage removed %v", got)
	}

	e, err = runCLI(t, fixture(t), nil, "", "remove", "--force", "ci", "-f", "json", "--quiet")
	if err != nil {
		t.Fatal(err)
	}
	if e.Stdout.String() != "{\n  \"name\": \"ci\",\n  \"orphaned_targets\": [\n    \"stage\"\n  ],\n  \"was_active\": false\n}\n" {
		t.Errorf("json = %q", e.Stdout.String())
	}

	e, err = runCLI(t, fixture(t), nil, "", "remove", "personal", "-f", "plain")
	if err != nil {
		t.Fatal(err)
	}
	if e.Stdout.String() != "personal\t\tfalse\n" {
		t.Errorf("plain = %q", e.Stdout.String())
	}
}
