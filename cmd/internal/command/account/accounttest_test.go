package account

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"

	"github.com/mpdata/mp/cmd/internal/command"
	"github.com/mpdata/mp/cmd/internal/command/commandtest"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports/inmem"
)

// runTest runs `mp account test ARGS…` over the fixture, with the team
// account's credentials known to the API in us when valid is true.
func runTest(t *testing.T, valid bool, args ...string) (*commandtest.Env, error) {
	t.Helper()
	e := commandtest.New(fixture(t), nil)
	if valid {
		e.API.SetMe(domain.BasicCredential("team-mp", domain.NewSecret(fixtureSecret)), domain.RegionUS, meOf("team@example.com", 3))
	}
	err := commandtest.Run(e.Factory, []*cli.Command{NewCmd(e.Factory)}, append([]string{"account", "test"}, args...)...)
	return e, err
}

// decodeOne decodes stdout as exactly one JSON object.
func decodeOne(t *testing.T, s string) map[string]any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(s))
	var v map[string]any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("stdout is not a JSON object: %v\n%s", err, s)
	}
	if dec.More() {
		t.Fatalf("stdout holds more than one JSON value:\n%s", s)
	}
	return v
}

func TestAccountTestOK(t *testing.T) {
	e, err := runTest(t, true)
	if err != nil {
		t.Fatal(err)
	}
	v := decodeOne(t, e.Stdout.String())
	user, _ := v["user"].(map[string]any)
	if v["account_name"] != "team" || v["ok"] != true || user["email"] != "team@example.com" || user["id"] != 42.0 ||
		v["accessible_project_count"] != 3.0 || v["error"] != nil || v["error_code"] != nil {
		t.Errorf("result = %v", v)
	}
	if len(v) != 6 {
		t.Errorf("result has keys %v, want account_name ok user accessible_project_count error error_code", v)
	}
	if e.API.Count(inmem.EndpointMe) != 1 {
		t.Errorf("/me calls = %d", e.API.Count(inmem.EndpointMe))
	}
	if strings.Contains(e.Stdout.String()+e.Stderr.String(), fixtureSecret) {
		t.Error("secret printed")
	}

	e, err = runTest(t, true, "team", "-f", "table")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"account_name              team\n", "ok                        true\n", "user_email                team@example.com\n", "accessible_project_count  3\n", "error_code                -\n"} {
		if !strings.Contains(e.Stdout.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, e.Stdout.String())
		}
	}
	e, err = runTest(t, true, "-f", "plain")
	if err != nil || e.Stdout.String() != "team\ttrue\t42\tteam@example.com\t3\t\t\n" {
		t.Errorf("plain %q, %v", e.Stdout.String(), err)
	}
}

func TestAccountTestFailures(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code domain.Code
		acct string
	}{
		{"rejected credentials", nil, domain.CodeAuthFailed, "team"},
		{"unknown account", []string{"nope"}, domain.CodeAccountNotFound, "nope"},
		{"unknown account by flag", []string{"-a", "nope"}, domain.CodeAccountNotFound, ""},
		{"browser account without tokens", []string{"personal"}, domain.CodeOAuthTokenError, "personal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := runTest(t, false, tt.args...)
			if domain.CodeOf(err) != tt.code || !command.IsShown(err) {
				t.Fatalf("err = %v (shown %v), want %s shown", err, command.IsShown(err), tt.code)
			}
			v := decodeOne(t, e.Stdout.String())
			if v["ok"] != false || v["user"] != nil || v["error_code"] != string(tt.code) || v["error"] == nil || v["accessible_project_count"] != 0.0 {
				t.Errorf("result = %v", v)
			}
			if tt.acct != "" && v["account_name"] != tt.acct {
				t.Errorf("account_name = %v, want %s", v["account_name"], tt.acct)
			}
		})
	}
}

func TestAccountTestUsage(t *testing.T) {
	for _, args := range [][]string{{"team", "-a", "ci"}, {"a", "b"}, {"-p", "1"}, {"-w", "1"}, {"bad/name"}} {
		e, err := runTest(t, true, args...)
		if domain.CodeOf(err) != domain.CodeInvalidArgument || command.IsShown(err) {
			t.Errorf("%q: %v, want a usage error", args, err)
		}
		if e.API.Count(inmem.EndpointMe) != 0 {
			t.Errorf("%q: called /me", args)
		}
	}
}
