package project

import (
	"strings"
	"testing"

	"github.com/urfave/cli/v2"

	"github.com/mpdata/mp/cmd/internal/command/commandtest"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports/inmem"
)

// token is the bearer of the "ci" account of tokenFixture.
const token = "tok-ci-NEVER-PRINT"

// tokenFixture is a config with one oauth_token account "ci" (us, default
// project 3018488) whose token /me knows.
func tokenFixture(t *testing.T) *commandtest.Env {
	t.Helper()
	cfg, err := domain.NewConfig(domain.ConfigData{
		Accounts: []domain.Account{{Name: "ci", Type: domain.TypeOAuthToken, Region: domain.RegionUS, DefaultProject: "3018488", Token: domain.NewSecret(token)}},
		Active:   domain.Active{Account: "ci"},
	})
	if err != nil {
		t.Fatal(err)
	}
	e := commandtest.New(cfg, nil)
	e.API.SetMe(domain.BearerCredential(domain.NewSecret(token)), domain.RegionUS, domain.Me{
		User: domain.User{ID: 42, Email: "jo@example.com"},
		Projects: []domain.Project{
			{ID: "3713224", Name: "AI Demo", OrganizationID: 7, Timezone: "US/Pacific", Domain: "mixpanel.com"},
			{ID: "3018488", Name: "E-Commerce Demo", OrganizationID: 7, Timezone: "US/Pacific", Domain: "mixpanel.com"},
		},
	})
	return e
}

func run(e *commandtest.Env, args ...string) error {
	return commandtest.Run(e.Factory, []*cli.Command{NewCmd(e.Factory)}, args...)
}

func TestList(t *testing.T) {
	e := tokenFixture(t)
	if err := run(e, "project", "list"); err != nil {
		t.Fatal(err)
	}
	want := "" +
		"ID       NAME             ORG  TIMEZONE    DOMAIN        ACTIVE\n" +
		"3713224  AI Demo          7    US/Pacific  mixpanel.com\n" +
		"3018488  E-Commerce Demo  7    US/Pacific  mixpanel.com  *\n"
	if e.Stdout.String() != want {
		t.Errorf("table:\n%s\nwant:\n%s", e.Stdout.String(), want)
	}
	e.Stdout.Reset()
	if err := run(e, "project", "list", "-f", "csv", "-p", "3713224"); err != nil {
		t.Fatal(err)
	}
	want = "id,name,organization_id,timezone,domain,is_active\n" +
		"3713224,AI Demo,7,US/Pacific,mixpanel.com,true\n" +
		"3018488,E-Commerce Demo,7,US/Pacific,mixpanel.com,false\n"
	if e.Stdout.String() != want {
		t.Errorf("csv with -p:\n%s\nwant:\n%s", e.Stdout.String(), want)
	}
	if n := e.API.Count(inmem.EndpointMe); n != 1 {
		t.Errorf("two lists made %d /me calls, want 1 (the second from the cache)", n)
	}
	e.Stdout.Reset()
	if err := run(e, "project", "list", "--refresh", "-f", "json"); err != nil {
		t.Fatal(err)
	}
	if n := e.API.Count(inmem.EndpointMe); n != 2 {
		t.Errorf("--refresh: %d /me calls, want 2", n)
	}
	if !strings.Contains(e.Stdout.String(), `"organization_id": 7`) || !strings.Contains(e.Stdout.String(), `"is_active": true`) {
		t.Errorf("json:\n%s", e.Stdout.String())
	}
	if strings.Contains(e.Stdout.String()+e.Stderr.String(), token) {
		t.Error("token printed")
	}
}

func TestListErrors(t *testing.T) {
	e := tokenFixture(t)
	if err := run(e, "project", "list", "-w", "1"); domain.CodeOf(err) != domain.CodeInvalidArgument {
		t.Errorf("-w: %v", err)
	}
	if err := run(e, "project", "list", "extra"); domain.CodeOf(err) != domain.CodeInvalidArgument {
		t.Errorf("extra argument: %v", err)
	}
	e.API.FailNext(inmem.EndpointMe, domain.NewError(domain.CodeRateLimited, "rate limited"))
	if err := run(e, "project", "list"); domain.CodeOf(err) != domain.CodeRateLimited {
		t.Errorf("rate limit: %v", err)
	}
}

func TestUseRefusesUnlistedProject(t *testing.T) {
	e := tokenFixture(t)
	if err := run(e, "project", "use", "999"); domain.CodeOf(err) != domain.CodeProjectNotFound {
		t.Fatalf("project use of an unlisted id: %v, want PROJECT_NOT_FOUND", err)
	}
	if e.Stdout.Len() != 0 {
		t.Errorf("stdout %q", e.Stdout.String())
	}
	e.Stdout.Reset()
	e.Stderr.Reset()
	if err := run(e, "project", "use", "3713224", "--quiet"); err != nil {
		t.Fatal(err)
	}
	if e.Stdout.String() != "Default project of account 'ci' is now 3713224 (AI Demo).\n" || e.Stderr.Len() != 0 {
		t.Errorf("stdout %q stderr %q", e.Stdout.String(), e.Stderr.String())
	}
}
