package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"testing"

	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports/inmem"
)

// compact removes insignificant whitespace from a golden JSON literal.
func compact(t *testing.T, s string) string {
	t.Helper()
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(s)); err != nil {
		t.Fatalf("golden is not JSON: %v", err)
	}
	return b.String()
}

func TestSessionsShowJSON(t *testing.T) {
	ctx := context.Background()
	t.Run("active account with workspace", func(t *testing.T) {
		f := newFixture(t, standardConfig(t), nil)
		got, err := f.app.Sessions.Show(ctx, domain.Selection{}, false)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(got)
		golden := compact(t, `{
			"account": {"name": "alpha", "type": "service_account", "region": "us", "source": "config [active]"},
			"project": {"id": "100", "name": null, "source": "default_project of account alpha"},
			"workspace": {"id": 7, "name": null, "source": "config [active]"},
			"user": null,
			"bridge": null
		}`)
		if string(b) != golden {
			t.Fatalf("JSON =\n%s\nwant\n%s", b, golden)
		}
	})
	t.Run("lazy workspace is null", func(t *testing.T) {
		cfg := mustConfig(t, domain.ConfigData{
			Accounts: []domain.Account{sa("alpha", "100"), tokenAccount("beta")},
			Targets:  []domain.Target{{Name: "web", Account: "beta", Project: "222"}},
			Active:   domain.Active{Account: "alpha"},
		})
		f := newFixture(t, cfg, nil)
		got, err := f.app.Sessions.Show(ctx, domain.Selection{Target: "web"}, false)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(got)
		golden := compact(t, `{
			"account": {"name": "beta", "type": "oauth_token", "region": "eu", "source": "target web"},
			"project": {"id": "222", "name": null, "source": "target web"},
			"workspace": null,
			"user": null,
			"bridge": null
		}`)
		if string(b) != golden {
			t.Fatalf("JSON =\n%s\nwant\n%s", b, golden)
		}
	})
	t.Run("explain", func(t *testing.T) {
		// env MP_PROJECT_ID shadows the target's project and the account
		// default; MP_ACCOUNT is ignored because --target is given; the
		// target's and the active workspace belong to other projects, so
		// both are ignored and the workspace is resolved lazily.
		f := newFixture(t, standardConfig(t), inmem.Env{"MP_PROJECT_ID": "42"})
		got, err := f.app.Sessions.Show(ctx, domain.Selection{Target: "ecom"}, true)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(got)
		golden := compact(t, `{
			"account": {"name": "alpha", "type": "service_account", "region": "us", "source": "target ecom"},
			"project": {"id": "42", "name": null, "source": "env MP_PROJECT_ID"},
			"workspace": null,
			"user": null,
			"bridge": null,
			"explain": {
				"account": {
					"winner": {"kind": "target", "name": "ecom", "value": "alpha"},
					"shadowed": [{"kind": "active", "name": "[active]", "value": "alpha"}],
					"ignored": []
				},
				"project": {
					"winner": {"kind": "env", "name": "MP_PROJECT_ID", "value": "42"},
					"shadowed": [
						{"kind": "target", "name": "ecom", "value": "111"},
						{"kind": "account_default", "name": "alpha", "value": "100"}
					],
					"ignored": []
				},
				"workspace": {
					"winner": {"kind": "none", "value": ""},
					"shadowed": [],
					"ignored": [
						{"kind": "target", "name": "ecom", "value": "11", "reason": "it belongs to project 111 of the target, not to the session project 42"},
						{"kind": "active", "name": "[active]", "value": "7", "reason": "it belongs to the account's default project 100, not to the session project 42"}
					]
				}
			}
		}`)
		if string(b) != golden {
			t.Fatalf("JSON =\n%s\nwant\n%s", b, golden)
		}
	})
	t.Run("explain lazy workspace and env account", func(t *testing.T) {
		cfg := mustConfig(t, domain.ConfigData{Accounts: []domain.Account{sa("alpha", "1")}, Active: domain.Active{Account: "alpha"}})
		f := newFixture(t, cfg, tripleEnv())
		got, err := f.app.Sessions.Show(ctx, domain.Selection{Account: "alpha"}, true)
		if err != nil {
			t.Fatal(err)
		}
		want := &app.SessionExplain{
			Account: app.AxisExplain{
				Winner: app.SourceView{Kind: "env", Name: "MP_OAUTH_TOKEN+MP_PROJECT_ID+MP_REGION", Value: "env-oauth-token"},
				Shadowed: []app.SourceView{
					{Kind: "flag", Name: "--account", Value: "alpha"},
					{Kind: "active", Name: "[active]", Value: "alpha"},
				},
				Ignored: []app.IgnoredView{},
			},
			Project: app.AxisExplain{
				Winner:   app.SourceView{Kind: "env", Name: "MP_PROJECT_ID", Value: "901"},
				Shadowed: []app.SourceView{{Kind: "account_default", Name: "env-oauth-token", Value: "901"}},
				Ignored:  []app.IgnoredView{},
			},
			Workspace: app.AxisExplain{Winner: app.SourceView{Kind: "none"}, Shadowed: []app.SourceView{}, Ignored: []app.IgnoredView{}},
		}
		if !reflect.DeepEqual(got.Explain, want) {
			t.Fatalf("Explain =\n%+v\nwant\n%+v", got.Explain, want)
		}
		if got.Workspace != nil {
			t.Fatalf("workspace = %+v, want nil", got.Workspace)
		}
		b, _ := json.Marshal(got.Explain.Workspace)
		if string(b) != `{"winner":{"kind":"none","value":""},"shadowed":[],"ignored":[]}` {
			t.Fatalf("lazy workspace JSON = %s", b)
		}
	})
	t.Run("errors", func(t *testing.T) {
		f := newFixture(t, domain.Config{}, nil)
		_, err := f.app.Sessions.Show(ctx, domain.Selection{}, true)
		wantCode(t, err, domain.CodeConfigError)
		f = newFixture(t, standardConfig(t), nil)
		_, err = f.app.Sessions.Show(ctx, domain.Selection{Target: "ecom", Project: "1"}, false)
		wantCode(t, err, domain.CodeInvalidArgument)
		a := app.New(app.Deps{Config: brokenStore{}, Storage: inmem.NewAccountStorage()})
		_, err = a.Sessions.Show(ctx, domain.Selection{}, false)
		wantCode(t, err, domain.CodeConfigError)
	})
}

func TestSessionsResolve(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, standardConfig(t), inmem.Env{"MP_WORKSPACE_ID": "5"})
	r, err := f.app.Sessions.Resolve(ctx, domain.Selection{Account: "gamma"})
	if err != nil {
		t.Fatal(err)
	}
	s := r.Session
	if s.Account.Name != "gamma" || s.Project != "300" || s.Workspace != 5 {
		t.Fatalf("session = %+v", s)
	}
	if r.Provenance.Workspace.Winner.Source != (domain.Source{Kind: domain.SourceEnv, Name: "MP_WORKSPACE_ID"}) {
		t.Fatalf("workspace provenance = %+v", r.Provenance.Workspace)
	}
	// The resolution carries credentials for the HTTP layer.
	r, err = f.app.Sessions.Resolve(ctx, domain.Selection{})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Session.Account.Secret.Equal(domain.NewSecret(saSecret)) {
		t.Fatal("resolved account lost its secret")
	}
}

// TestNoSecretInResults seeds unique secrets in config accounts and in the
// environment, runs every method, and scans every result (JSON and %+v),
// every error (message, hint, details, %+v) and every log record.
func TestNoSecretInResults(t *testing.T) {
	ctx := context.Background()
	envs := map[string]inmem.Env{"plain": nil, "quad": quadEnv(), "triple": tripleEnv()}
	for envName, env := range envs {
		t.Run(envName, func(t *testing.T) {
			f := newFixture(t, standardConfig(t), env)
			a := f.app
			var results []any
			var errs []error
			record := func(v any, err error) {
				results = append(results, v)
				if err != nil {
					errs = append(errs, err)
				}
			}
			record(a.Accounts.List(ctx))
			record(a.Accounts.Show(ctx, domain.Selection{}, ""))
			record(a.Accounts.Show(ctx, domain.Selection{}, "alpha"))
			record(a.Accounts.Show(ctx, domain.Selection{}, "beta"))
			record(a.Accounts.Show(ctx, domain.Selection{}, "env-service-account"))
			record(a.Accounts.Show(ctx, domain.Selection{}, "env-oauth-token"))
			record(a.Accounts.Add(ctx, sa("delta", "4")))
			record(a.Accounts.Add(ctx, sa("delta", "4")))                                                           // exists
			record(a.Accounts.Add(ctx, domain.Account{Name: "bad", Type: "x", Token: domain.NewSecret(tokSecret)})) // invalid
			record(a.Accounts.Update(ctx, "delta", domain.AccountPatch{Secret: ptr(domain.NewSecret(saSecret))}))
			record(a.Accounts.Update(ctx, "beta", domain.AccountPatch{Token: ptr(domain.NewSecret(tokSecret))}))
			record(a.Accounts.Update(ctx, "beta", domain.AccountPatch{Secret: ptr(domain.NewSecret(saSecret))})) // wrong type
			record(a.Accounts.Update(ctx, "env-service-account", domain.AccountPatch{Region: ptr(domain.RegionUS)}))
			record(a.Targets.Add(ctx, domain.Target{Name: "t1", Account: "delta", Project: "4"}))
			record(a.Targets.List(ctx))
			record(a.Targets.Show(ctx, "t1"))
			record(a.Projects.Use(ctx, domain.Selection{}, "77"))
			record(a.Projects.Show(ctx, domain.Selection{}))
			record(a.Workspaces.Use(ctx, domain.Selection{}, 8))
			record(a.Workspaces.Show(ctx, domain.Selection{}))
			record(a.Sessions.Show(ctx, domain.Selection{}, true))
			record(a.Sessions.Show(ctx, domain.Selection{Account: "beta"}, true))
			record(a.Targets.Use(ctx, "t1"))
			record(a.Accounts.Use(ctx, "beta"))
			record(a.Accounts.Remove(ctx, "delta", false))
			record(a.Accounts.Remove(ctx, "delta", true))
			record(a.Targets.Remove(ctx, "t1"))
			record(a.Accounts.Remove(ctx, "nope", false))
			for i, r := range results {
				b, err := json.Marshal(r)
				if err != nil {
					t.Fatalf("result %d does not marshal: %v", i, err)
				}
				assertNoSecret(t, fmt.Sprintf("result %d JSON", i), string(b))
				assertNoSecret(t, fmt.Sprintf("result %d %%+v", i), fmt.Sprintf("%+v", r))
				assertNoSecret(t, fmt.Sprintf("result %d %%#v", i), fmt.Sprintf("%#v", r))
			}
			if len(errs) == 0 {
				t.Fatal("expected some errors to scan")
			}
			for i, err := range errs {
				assertNoSecret(t, fmt.Sprintf("error %d", i), err.Error())
				assertNoSecret(t, fmt.Sprintf("error %d %%+v", i), fmt.Sprintf("%+v", err))
				if e := wantAnyDomainError(t, err); e != nil {
					d, _ := json.Marshal(e.Details)
					assertNoSecret(t, fmt.Sprintf("error %d details", i), string(d))
					assertNoSecret(t, fmt.Sprintf("error %d hint", i), e.Hint)
				}
			}
			entries := f.logs.All()
			if len(entries) == 0 {
				t.Fatal("no debug logs recorded")
			}
			for i, e := range entries {
				assertNoSecret(t, fmt.Sprintf("log %d", i), fmt.Sprintf("%s %+v", e.Message, e.ContextMap()))
			}
		})
	}
}

// wantAnyDomainError returns the *domain.Error in err's chain, failing the
// test when there is none.
func wantAnyDomainError(t *testing.T, err error) *domain.Error {
	t.Helper()
	if domain.CodeOf(err) == "" {
		t.Errorf("error without a code: %v", err)
		return nil
	}
	return wantCode(t, err, domain.CodeOf(err))
}
