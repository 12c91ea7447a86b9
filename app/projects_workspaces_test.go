package app_test

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports/inmem"
)

func TestProjectsUse(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name        string
		env         inmem.Env
		sel         domain.Selection
		id          domain.ProjectID
		wantAccount domain.AccountName
		shadowedBy  string
		code        domain.Code
		warning     string // a fragment of the expected Warning; "" = none, the name is set
	}{
		{name: "active account", id: "555", wantAccount: "alpha"},
		{name: "--account", sel: domain.Selection{Account: "beta"}, id: "555", wantAccount: "beta"},
		{name: "--target account", sel: domain.Selection{Target: "web"}, id: "555", wantAccount: "beta", shadowedBy: "target web"},
		{name: "MP_ACCOUNT", env: inmem.Env{"MP_ACCOUNT": "gamma"}, id: "555", wantAccount: "gamma", warning: "could not check project 555 against /me: account 'gamma' has no OAuth tokens"},
		{name: "shadowed by MP_PROJECT_ID", env: inmem.Env{"MP_PROJECT_ID": "42"}, id: "555", wantAccount: "alpha", shadowedBy: "env MP_PROJECT_ID"},
		{name: "shadowed by --project", sel: domain.Selection{Project: "43"}, id: "555", wantAccount: "alpha", shadowedBy: "flag --project"},
		{name: "env quad refused", env: quadEnv(), id: "555", code: domain.CodeConfigError},
		{name: "env triple refused", env: tripleEnv(), id: "555", code: domain.CodeConfigError},
		{name: "invalid id", id: "12a", code: domain.CodeInvalidArgument},
		{name: "empty id", id: "", code: domain.CodeInvalidArgument},
		{name: "unknown account", sel: domain.Selection{Account: "nope"}, id: "555", code: domain.CodeAccountNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, standardConfig(t), tt.env)
			f.api.SetMe(alphaCred, domain.RegionUS, buildMe(t, "a@example.com", meProject{ID: "555", Name: "Five"}))
			f.api.SetMe(betaCred, domain.RegionEU, buildMe(t, "b@example.com", meProject{ID: "555", Name: "Five"}))
			before := f.load(t).Data()
			got, err := f.app.Projects.Use(ctx, tt.sel, tt.id)
			if tt.code != "" {
				e := wantCode(t, err, tt.code)
				if e.Hint == "" && tt.code == domain.CodeConfigError {
					t.Fatal("no hint")
				}
				if !reflect.DeepEqual(before, f.load(t).Data()) {
					t.Fatal("config changed on error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := app.ProjectView{ID: string(tt.id), Account: string(tt.wantAccount), Source: "default_project of account " + string(tt.wantAccount), ShadowedBy: tt.shadowedBy}
			if tt.warning == "" {
				want.Name = "Five"
			} else {
				if !strings.Contains(got.Warning, tt.warning) {
					t.Fatalf("Warning = %q, want it to contain %q", got.Warning, tt.warning)
				}
				want.Warning = got.Warning
			}
			if got != want {
				t.Fatalf("Use = %+v, want %+v", got, want)
			}
			cfg := f.load(t)
			if a, _ := cfg.Account(tt.wantAccount); a.DefaultProject != tt.id {
				t.Fatalf("default project = %q", a.DefaultProject)
			}
			// The active account stays; its workspace belonged to the old
			// project, so it goes when that account's project changed.
			wantActive := before.Active
			for _, a := range before.Accounts {
				if a.Name == tt.wantAccount && a.Name == before.Active.Account && a.DefaultProject != tt.id {
					wantActive.Workspace = 0
				}
			}
			if cfg.Active() != wantActive {
				t.Fatalf("active = %+v, want %+v", cfg.Active(), wantActive)
			}
		})
	}
	t.Run("no account", func(t *testing.T) {
		f := newFixture(t, domain.Config{}, nil)
		_, err := f.app.Projects.Use(ctx, domain.Selection{}, "1")
		wantCode(t, err, domain.CodeConfigError)
	})
}

func TestProjectsShow(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		env  inmem.Env
		sel  domain.Selection
		want app.ProjectView
		code domain.Code
	}{
		{name: "account default", want: app.ProjectView{ID: "100", Account: "alpha", Source: "default_project of account alpha"}},
		{name: "flag", sel: domain.Selection{Project: "7"}, want: app.ProjectView{ID: "7", Account: "alpha", Source: "flag --project"}},
		{name: "target", sel: domain.Selection{Target: "ecom"}, want: app.ProjectView{ID: "111", Account: "alpha", Source: "target ecom"}},
		{name: "env beats flag", env: inmem.Env{"MP_PROJECT_ID": "8"}, sel: domain.Selection{Project: "7"}, want: app.ProjectView{ID: "8", Account: "alpha", Source: "env MP_PROJECT_ID"}},
		{name: "env beats target", env: inmem.Env{"MP_PROJECT_ID": "8"}, sel: domain.Selection{Target: "ecom"}, want: app.ProjectView{ID: "8", Account: "alpha", Source: "env MP_PROJECT_ID"}},
		{name: "env account", env: quadEnv(), want: app.ProjectView{ID: "900", Account: "env-service-account", Source: "env MP_PROJECT_ID"}},
		{name: "no project", sel: domain.Selection{Account: "beta"}, code: domain.CodeConfigError},
		{name: "bad MP_PROJECT_ID", env: inmem.Env{"MP_PROJECT_ID": "x"}, code: domain.CodeInvalidArgument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, standardConfig(t), tt.env)
			got, err := f.app.Projects.Show(ctx, tt.sel)
			if tt.code != "" {
				wantCode(t, err, tt.code)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Fatalf("Show = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestWorkspacesUse(t *testing.T) {
	ctx := context.Background()
	t.Run("active account", func(t *testing.T) {
		f := newFixture(t, standardConfig(t), nil)
		got, err := f.app.Workspaces.Use(ctx, domain.Selection{}, 99)
		if err != nil {
			t.Fatal(err)
		}
		want := app.WorkspaceView{ID: ptr(int64(99)), Source: "config [active]", Account: "alpha", Project: "100"}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("Use = %+v, want %+v", got, want)
		}
		if a := f.load(t).Active(); a != (domain.Active{Account: "alpha", Workspace: 99}) {
			t.Fatalf("active = %+v", a)
		}
	})
	t.Run("--account naming the active account", func(t *testing.T) {
		f := newFixture(t, standardConfig(t), nil)
		if _, err := f.app.Workspaces.Use(ctx, domain.Selection{Account: "alpha"}, 5); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("shadowed by MP_WORKSPACE_ID", func(t *testing.T) {
		f := newFixture(t, standardConfig(t), inmem.Env{"MP_WORKSPACE_ID": "3"})
		got, err := f.app.Workspaces.Use(ctx, domain.Selection{}, 99)
		if err != nil {
			t.Fatal(err)
		}
		if got.ShadowedBy != "env MP_WORKSPACE_ID" {
			t.Fatalf("ShadowedBy = %q", got.ShadowedBy)
		}
	})
	errCases := []struct {
		name string
		cfg  func(*testing.T) domain.Config
		env  inmem.Env
		sel  domain.Selection
		id   domain.WorkspaceID
		code domain.Code
		hint string
	}{
		{"other account by flag", standardConfig, nil, domain.Selection{Account: "beta"}, 5, domain.CodeInvalidArgument, "mp account use beta"},
		{"other account by target", standardConfig, nil, domain.Selection{Target: "web"}, 5, domain.CodeInvalidArgument, "mp account use beta"},
		{"other account by MP_ACCOUNT", standardConfig, inmem.Env{"MP_ACCOUNT": "gamma"}, domain.Selection{}, 5, domain.CodeInvalidArgument, "mp account use gamma"},
		{"env-built account", standardConfig, quadEnv(), domain.Selection{}, 5, domain.CodeInvalidArgument, "MP_WORKSPACE_ID"},
		{"zero id", standardConfig, nil, domain.Selection{}, 0, domain.CodeInvalidArgument, ""},
		{"negative id", standardConfig, nil, domain.Selection{}, -4, domain.CodeInvalidArgument, ""},
		{"no account", func(*testing.T) domain.Config { return domain.Config{} }, nil, domain.Selection{}, 5, domain.CodeConfigError, ""},
		{"no active account but --account", func(t *testing.T) domain.Config {
			return mustConfig(t, domain.ConfigData{Accounts: []domain.Account{sa("alpha", "1")}})
		}, nil, domain.Selection{Account: "alpha"}, 5, domain.CodeInvalidArgument, "mp account use alpha"},
	}
	for _, tt := range errCases {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, tt.cfg(t), tt.env)
			before := f.load(t).Data()
			_, err := f.app.Workspaces.Use(ctx, tt.sel, tt.id)
			e := wantCode(t, err, tt.code)
			if !strings.Contains(e.Hint, tt.hint) {
				t.Fatalf("hint %q does not contain %q", e.Hint, tt.hint)
			}
			if !reflect.DeepEqual(before, f.load(t).Data()) {
				t.Fatal("config changed on error")
			}
		})
	}
}

func TestWorkspacesShow(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		cfg    func(*testing.T) domain.Config
		env    inmem.Env
		sel    domain.Selection
		golden string
		code   domain.Code
	}{
		{name: "active", cfg: standardConfig, golden: `{"id":7,"source":"config [active]","account":"alpha","project":"100"}`},
		{name: "target", cfg: standardConfig, sel: domain.Selection{Target: "ecom"}, golden: `{"id":11,"source":"target ecom","account":"alpha","project":"111"}`},
		{name: "env", cfg: standardConfig, env: inmem.Env{"MP_WORKSPACE_ID": "12"}, golden: `{"id":12,"source":"env MP_WORKSPACE_ID","account":"alpha","project":"100"}`},
		{name: "unset", cfg: func(t *testing.T) domain.Config {
			return mustConfig(t, domain.ConfigData{Accounts: []domain.Account{sa("alpha", "1")}, Active: domain.Active{Account: "alpha"}})
		}, golden: `{"id":null,"source":"none","account":"alpha","project":"1"}`},
		{name: "bad MP_WORKSPACE_ID", cfg: standardConfig, env: inmem.Env{"MP_WORKSPACE_ID": "0"}, code: domain.CodeInvalidArgument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, tt.cfg(t), tt.env)
			got, err := f.app.Workspaces.Show(ctx, tt.sel)
			if tt.code != "" {
				wantCode(t, err, tt.code)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if b, _ := json.Marshal(got); string(b) != tt.golden {
				t.Fatalf("JSON = %s\nwant   %s", b, tt.golden)
			}
		})
	}
}
