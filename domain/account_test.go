package domain_test

import (
	"strings"
	"testing"

	"github.com/mpdata/mp/domain"
)

func TestAccountValidate(t *testing.T) {
	with := func(a domain.Account, edit func(*domain.Account)) domain.Account {
		edit(&a)
		return a
	}
	sa, tok, br := saAccount("sa", "1"), tokenAccount("tok", "2"), browserAccount("br", "")
	tokEnv := with(tok, func(a *domain.Account) { a.Token, a.TokenEnv = domain.Secret{}, "MY_TOKEN" })
	tests := []struct {
		desc      string
		acct      domain.Account
		fragments []string // empty: valid
	}{
		{"service account", sa, nil},
		{"service account without default project", with(sa, func(a *domain.Account) { a.DefaultProject = "" }), nil},
		{"oauth_token inline", tok, nil},
		{"oauth_token token_env", tokEnv, nil},
		{"oauth_browser", br, nil},
		{"oauth_browser with project", with(br, func(a *domain.Account) { a.DefaultProject = "9" }), nil},

		{"bad name", with(sa, func(a *domain.Account) { a.Name = "../x" }), []string{"invalid account name"}},
		{"empty name", with(sa, func(a *domain.Account) { a.Name = "" }), []string{"invalid account name"}},
		{"bad type", with(sa, func(a *domain.Account) { a.Type = "basic" }), []string{"account 'sa'", "invalid account type"}},
		{"empty type", with(sa, func(a *domain.Account) { a.Type = "" }), []string{"account 'sa'", "invalid account type"}},
		{"bad region", with(sa, func(a *domain.Account) { a.Region = "US" }), []string{"account 'sa'", "invalid region"}},
		{"missing region", with(br, func(a *domain.Account) { a.Region = "" }), []string{"account 'br'", "invalid region"}},
		{"bad default project", with(sa, func(a *domain.Account) { a.DefaultProject = "p1" }), []string{"account 'sa'", "invalid project id"}},

		{"sa without username", with(sa, func(a *domain.Account) { a.Username = "" }), []string{"needs a username"}},
		{"sa without secret", with(sa, func(a *domain.Account) { a.Secret = domain.Secret{} }), []string{"needs a secret"}},
		{"sa with token", with(sa, func(a *domain.Account) { a.Token = domain.NewSecret("t") }), []string{"cannot have token"}},
		{"sa with token_env", with(sa, func(a *domain.Account) { a.TokenEnv = "X" }), []string{"cannot have token"}},

		{"token with neither", with(tok, func(a *domain.Account) { a.Token = domain.Secret{} }), []string{"exactly one of token or token_env"}},
		{"token with both", with(tok, func(a *domain.Account) { a.TokenEnv = "X" }), []string{"exactly one of token or token_env"}},
		{"token_env invalid name", with(tokEnv, func(a *domain.Account) { a.TokenEnv = "1BAD" }), []string{`token_env "1BAD"`}},
		{"token_env with dash", with(tokEnv, func(a *domain.Account) { a.TokenEnv = "MY-TOKEN" }), []string{"not a valid environment variable name"}},
		{"token with username", with(tok, func(a *domain.Account) { a.Username = "u" }), []string{"cannot have username or secret"}},
		{"token with secret", with(tok, func(a *domain.Account) { a.Secret = domain.NewSecret("s") }), []string{"cannot have username or secret"}},

		{"browser with username", with(br, func(a *domain.Account) { a.Username = "u" }), []string{"keeps no credentials"}},
		{"browser with secret", with(br, func(a *domain.Account) { a.Secret = domain.NewSecret("s") }), []string{"keeps no credentials"}},
		{"browser with token", with(br, func(a *domain.Account) { a.Token = domain.NewSecret("t") }), []string{"keeps no credentials"}},
		{"browser with token_env", with(br, func(a *domain.Account) { a.TokenEnv = "T" }), []string{"keeps no credentials"}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			err := tt.acct.Validate()
			if len(tt.fragments) == 0 {
				checkErr(t, err, "")
				return
			}
			checkErr(t, err, domain.CodeInvalidArgument, tt.fragments...)
			for _, raw := range []string{fixtureSASecret, fixtureToken} {
				if strings.Contains(err.Error(), raw) {
					t.Errorf("error leaks a secret: %v", err)
				}
			}
		})
	}
}

func TestAccountPatchApply(t *testing.T) {
	sa, tok, br := saAccount("sa", "1"), tokenAccount("tok", "2"), browserAccount("br", "3")
	tokEnv := tok
	tokEnv.Token, tokEnv.TokenEnv = domain.Secret{}, "OLD_VAR"
	newSecret := domain.NewSecret("new-secret")
	tests := []struct {
		desc      string
		acct      domain.Account
		patch     domain.AccountPatch
		check     func(t *testing.T, got domain.Account)
		fragments []string // non-empty: an INVALID_ARGUMENT error containing these
	}{
		{
			desc: "region", acct: sa, patch: domain.AccountPatch{Region: ptr(domain.RegionEU)},
			check: func(t *testing.T, got domain.Account) {
				if got.Region != domain.RegionEU || got.Username != sa.Username || !got.Secret.Equal(sa.Secret) {
					t.Errorf("got %+v", got)
				}
			},
		},
		{
			desc: "default project", acct: br, patch: domain.AccountPatch{DefaultProject: ptr(domain.ProjectID("99"))},
			check: func(t *testing.T, got domain.Account) {
				if got.DefaultProject != "99" {
					t.Errorf("DefaultProject = %q", got.DefaultProject)
				}
			},
		},
		{
			desc: "clear project", acct: br, patch: domain.AccountPatch{ClearProject: true},
			check: func(t *testing.T, got domain.Account) {
				if got.DefaultProject.IsSet() {
					t.Errorf("DefaultProject = %q, want cleared", got.DefaultProject)
				}
			},
		},
		{
			desc: "project and clear-project conflict", acct: br,
			patch:     domain.AccountPatch{DefaultProject: ptr(domain.ProjectID("9")), ClearProject: true},
			fragments: []string{"--project", "--clear-project"},
		},
		{
			desc: "username and secret on a service account", acct: sa,
			patch: domain.AccountPatch{Username: ptr("new-user"), Secret: &newSecret},
			check: func(t *testing.T, got domain.Account) {
				if got.Username != "new-user" || got.Secret.Reveal() != "new-secret" {
					t.Errorf("got %q / secret changed=%v", got.Username, got.Secret.Equal(newSecret))
				}
			},
		},
		{
			desc: "empty secret is refused", acct: sa, patch: domain.AccountPatch{Secret: ptr(domain.Secret{})},
			fragments: []string{"needs a secret"},
		},
		{
			desc: "invalid region is refused", acct: sa, patch: domain.AccountPatch{Region: ptr(domain.Region("mars"))},
			fragments: []string{"invalid region"},
		},
		{
			desc: "invalid project is refused", acct: sa, patch: domain.AccountPatch{DefaultProject: ptr(domain.ProjectID("x1"))},
			fragments: []string{"invalid project id"},
		},
		{
			desc: "username on oauth_token", acct: tok, patch: domain.AccountPatch{Username: ptr("u")},
			fragments: []string{"account 'tok' is oauth_token", "only to service accounts"},
		},
		{
			desc: "secret on oauth_browser", acct: br, patch: domain.AccountPatch{Secret: &newSecret},
			fragments: []string{"account 'br' is oauth_browser", "only to service accounts"},
		},
		{
			desc: "token on service account", acct: sa, patch: domain.AccountPatch{Token: &newSecret},
			fragments: []string{"account 'sa' is service_account", "only to oauth_token"},
		},
		{
			desc: "token_env on oauth_browser", acct: br, patch: domain.AccountPatch{TokenEnv: ptr("X")},
			fragments: []string{"only to oauth_token"},
		},
		{
			desc: "token and token_env conflict", acct: tok, patch: domain.AccountPatch{Token: &newSecret, TokenEnv: ptr("X")},
			fragments: []string{"--token-env", "--token-stdin"},
		},
		{
			desc: "inline token replaces token_env", acct: tokEnv, patch: domain.AccountPatch{Token: &newSecret},
			check: func(t *testing.T, got domain.Account) {
				if got.TokenEnv != "" || !got.Token.Equal(newSecret) {
					t.Errorf("TokenEnv=%q, token set=%v", got.TokenEnv, got.Token.Equal(newSecret))
				}
			},
		},
		{
			desc: "token_env replaces inline token", acct: tok, patch: domain.AccountPatch{TokenEnv: ptr("NEW_VAR")},
			check: func(t *testing.T, got domain.Account) {
				if got.TokenEnv != "NEW_VAR" || !got.Token.IsZero() {
					t.Errorf("TokenEnv=%q, token zero=%v", got.TokenEnv, got.Token.IsZero())
				}
			},
		},
		{
			desc: "invalid token_env is refused", acct: tok, patch: domain.AccountPatch{TokenEnv: ptr("BAD VAR")},
			fragments: []string{"not a valid environment variable name"},
		},
		{
			desc: "empty inline token is refused", acct: tokEnv, patch: domain.AccountPatch{Token: ptr(domain.Secret{})},
			fragments: []string{"exactly one of token or token_env"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			before := tt.acct
			got, err := tt.patch.Apply(tt.acct)
			if !tt.acct.Equal(before) {
				t.Fatal("Apply changed its argument")
			}
			if len(tt.fragments) > 0 {
				checkErr(t, err, domain.CodeInvalidArgument, tt.fragments...)
				if !got.Equal(before) {
					t.Errorf("on error Apply returned a changed account %+v", got)
				}
				return
			}
			checkErr(t, err, "")
			if got.Name != before.Name || got.Type != before.Type {
				t.Errorf("Apply changed name or type: %+v", got)
			}
			tt.check(t, got)
		})
	}
}

func TestAccountPatchIsEmpty(t *testing.T) {
	if !(domain.AccountPatch{}).IsEmpty() {
		t.Error("zero patch is not empty")
	}
	nonEmpty := []domain.AccountPatch{
		{Region: ptr(domain.RegionUS)},
		{DefaultProject: ptr(domain.ProjectID("1"))},
		{ClearProject: true},
		{Username: ptr("u")},
		{Secret: ptr(domain.NewSecret("s"))},
		{Token: ptr(domain.NewSecret("t"))},
		{TokenEnv: ptr("T")},
	}
	for i, p := range nonEmpty {
		if p.IsEmpty() {
			t.Errorf("patch %d (%+v) reports empty", i, p)
		}
	}
}

func TestTargetValidate(t *testing.T) {
	good := domain.Target{Name: "ecom", Account: "main", Project: "300", Workspace: 30}
	tests := []struct {
		desc      string
		edit      func(*domain.Target)
		fragments []string
	}{
		{"valid", func(*domain.Target) {}, nil},
		{"no workspace", func(t *domain.Target) { t.Workspace = 0 }, nil},
		{"bad name", func(t *domain.Target) { t.Name = "a/b" }, []string{"invalid target name"}},
		{"bad account", func(t *domain.Target) { t.Account = "" }, []string{"target 'ecom'", "invalid account name"}},
		{"missing project", func(t *domain.Target) { t.Project = "" }, []string{"target 'ecom'", "project id"}},
		{"bad project", func(t *domain.Target) { t.Project = "3a" }, []string{"target 'ecom'", "project id"}},
		{"negative workspace", func(t *domain.Target) { t.Workspace = -1 }, []string{"target 'ecom'", "workspace id"}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			tg := good
			tt.edit(&tg)
			err := tg.Validate()
			if len(tt.fragments) == 0 {
				checkErr(t, err, "")
				return
			}
			checkErr(t, err, domain.CodeInvalidArgument, tt.fragments...)
		})
	}
}
