package domain_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/mpdata/mp/domain"
)

// Secrets used by the fixtures. Tests scan every rendering for them.
const (
	fixtureSASecret = "sa-secret-7f3a9c1e"
	fixtureToken    = "inline-token-5d2b8e40"
)

// saAccount is a valid service account.
func saAccount(name, project string) domain.Account {
	return domain.Account{
		Name: domain.AccountName(name), Type: domain.TypeServiceAccount, Region: domain.RegionUS,
		DefaultProject: domain.ProjectID(project),
		Username:       "svc." + name, Secret: domain.NewSecret(fixtureSASecret),
	}
}

// tokenAccount is a valid oauth_token account with an inline token.
func tokenAccount(name, project string) domain.Account {
	return domain.Account{
		Name: domain.AccountName(name), Type: domain.TypeOAuthToken, Region: domain.RegionEU,
		DefaultProject: domain.ProjectID(project), Token: domain.NewSecret(fixtureToken),
	}
}

// browserAccount is a valid oauth_browser account.
func browserAccount(name, project string) domain.Account {
	return domain.Account{
		Name: domain.AccountName(name), Type: domain.TypeOAuthBrowser, Region: domain.RegionIN,
		DefaultProject: domain.ProjectID(project),
	}
}

// mustConfig builds a Config or fails the test.
func mustConfig(t testing.TB, d domain.ConfigData) domain.Config {
	t.Helper()
	c, err := domain.NewConfig(d)
	if err != nil {
		t.Fatalf("NewConfig: %v", err)
	}
	return c
}

// fixtureData is the config most resolver stories run against:
//
//	accounts: main (service_account, default_project 100),
//	          other (oauth_token, default_project 200),
//	          bare (oauth_browser, no default project)
//	targets:  ecom  → other, project 300, workspace 30
//	          nows  → main,  project 400, no workspace
//	          ghost → gone (orphan: the account was removed with --force)
//	active:   main, workspace 7
//	settings: custom_header X-Team: blue
func fixtureData() domain.ConfigData {
	return domain.ConfigData{
		Accounts: []domain.Account{saAccount("main", "100"), tokenAccount("other", "200"), browserAccount("bare", "")},
		Targets: []domain.Target{
			{Name: "ecom", Account: "other", Project: "300", Workspace: 30},
			{Name: "nows", Account: "main", Project: "400"},
			{Name: "ghost", Account: "gone", Project: "500", Workspace: 50},
		},
		Active:   domain.Active{Account: "main", Workspace: 7},
		Settings: domain.Settings{CustomHeader: &domain.Header{Name: "X-Team", Value: "blue"}},
	}
}

// checkErr asserts that err carries code and that its text contains every
// fragment. An empty code means "no error expected".
func checkErr(t *testing.T, err error, code domain.Code, fragments ...string) bool {
	t.Helper()
	if code == "" {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return false
	}
	if err == nil {
		t.Fatalf("want %s error, got nil", code)
	}
	if got := domain.CodeOf(err); got != code {
		t.Fatalf("code = %q, want %q (error: %v)", got, code, err)
	}
	if !errors.Is(err, code) {
		t.Errorf("errors.Is(err, %s) = false", code)
	}
	for _, f := range fragments {
		if !strings.Contains(err.Error(), f) {
			t.Errorf("error %q does not contain %q", err.Error(), f)
		}
	}
	return true
}

// asError extracts the *domain.Error from err.
func asError(t *testing.T, err error) *domain.Error {
	t.Helper()
	var e *domain.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not a *domain.Error", err, err)
	}
	return e
}

// ptr returns a pointer to v.
func ptr[T any](v T) *T { return &v }
