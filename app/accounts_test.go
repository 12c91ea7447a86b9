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

func TestAccountsList(t *testing.T) {
	ctx := context.Background()
	t.Run("empty is [] not null", func(t *testing.T) {
		f := newFixture(t, domain.Config{}, nil)
		got, err := f.app.Accounts.List(ctx)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(got)
		if string(b) != "[]" {
			t.Fatalf("JSON = %s, want []", b)
		}
	})
	t.Run("sorted with active, references and default project", func(t *testing.T) {
		f := newFixture(t, standardConfig(t), nil)
		got, err := f.app.Accounts.List(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := []app.AccountSummary{
			{Name: "alpha", Type: "service_account", Region: "us", DefaultProject: ptr("100"), IsActive: true, ReferencedByTargets: []string{"ecom"}, SecretStore: "config"},
			{Name: "beta", Type: "oauth_token", Region: "eu", IsActive: false, ReferencedByTargets: []string{"web"}, SecretStore: "config"},
			{Name: "gamma", Type: "oauth_browser", Region: "in", DefaultProject: ptr("300"), ReferencedByTargets: []string{}, SecretStore: "file"},
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("List =\n%+v\nwant\n%+v", got, want)
		}
		b, _ := json.Marshal(got[1])
		const golden = `{"name":"beta","type":"oauth_token","region":"eu","default_project":null,"is_active":false,"referenced_by_targets":["web"],"secret_store":"config"}`
		if string(b) != golden {
			t.Fatalf("JSON = %s\nwant   %s", b, golden)
		}
	})
	t.Run("agrees with Show: several targets, orphans between accounts", func(t *testing.T) {
		// Targets of a missing account ("b0", "zz") sort before, between
		// and after the accounts, and one account has several targets: List
		// takes each account's targets in one walk over them.
		cfg := mustConfig(t, domain.ConfigData{
			Accounts: []domain.Account{sa("b1", "1"), tokenAccount("b3"), browserAccount("b2", ""), sa("c", "")},
			Targets: []domain.Target{
				{Name: "t5", Account: "b1", Project: "1"},
				{Name: "t1", Account: "b1", Project: "1"},
				{Name: "o1", Account: "b0", Project: "1"},
				{Name: "o2", Account: "b4", Project: "1"},
				{Name: "t3", Account: "b3", Project: "1"},
				{Name: "o3", Account: "zz", Project: "1"},
				{Name: "t2", Account: "b1", Project: "1"},
			},
			Active: domain.Active{Account: "b3"},
		})
		f := newFixture(t, cfg, nil)
		got, err := f.app.Accounts.List(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var want []app.AccountSummary
		for _, name := range cfg.AccountNames() {
			s, err := f.app.Accounts.Show(ctx, domain.Selection{}, name)
			if err != nil {
				t.Fatal(err)
			}
			want = append(want, s)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("List =\n%+v\nShow of each =\n%+v", got, want)
		}
		if r := got[0].ReferencedByTargets; !reflect.DeepEqual(r, []string{"t1", "t2", "t5"}) {
			t.Fatalf("b1 referenced by %v", r)
		}
		// The summaries share backing arrays: changing one never changes
		// another.
		got[0].ReferencedByTargets = append(got[0].ReferencedByTargets, "x")
		*got[0].DefaultProject = "changed"
		again, err := f.app.Accounts.List(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got[1:], again[1:]) || !reflect.DeepEqual(got[1:], want[1:]) {
			t.Fatalf("changing one summary changed another:\n%+v\nwant\n%+v", got[1:], want[1:])
		}
	})
	t.Run("load error", func(t *testing.T) {
		a := app.New(app.Deps{Config: brokenStore{}, Storage: inmem.NewAccountStorage()})
		_, err := a.Accounts.List(ctx)
		wantCode(t, err, domain.CodeConfigError)
	})
}

func TestAccountsShow(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name     string
		env      inmem.Env
		sel      domain.Selection
		arg      domain.AccountName
		want     string // account name
		active   bool
		wantType string
		code     domain.Code
	}{
		{name: "by name", arg: "gamma", want: "gamma", wantType: "oauth_browser"},
		{name: "by name active", arg: "alpha", want: "alpha", active: true, wantType: "service_account"},
		{name: "by name wins over selection", arg: "gamma", sel: domain.Selection{Account: "beta"}, want: "gamma", wantType: "oauth_browser"},
		{name: "unknown name", arg: "nope", code: domain.CodeAccountNotFound},
		{name: "empty name is active", want: "alpha", active: true, wantType: "service_account"},
		{name: "empty name honours --account", sel: domain.Selection{Account: "beta"}, want: "beta", wantType: "oauth_token"},
		{name: "empty name honours --target", sel: domain.Selection{Target: "web"}, want: "beta", wantType: "oauth_token"},
		{name: "empty name honours MP_ACCOUNT", env: inmem.Env{"MP_ACCOUNT": "gamma"}, want: "gamma", wantType: "oauth_browser"},
		{name: "empty name honours MP_TARGET", env: inmem.Env{"MP_TARGET": "web"}, want: "beta", wantType: "oauth_token"},
		{name: "unknown --account", sel: domain.Selection{Account: "nope"}, code: domain.CodeAccountNotFound},
		{name: "unknown --target", sel: domain.Selection{Target: "nope"}, code: domain.CodeTargetNotFound},
		{name: "--target with --account", sel: domain.Selection{Target: "web", Account: "beta"}, code: domain.CodeInvalidArgument},
		{name: "env quad is shown", env: quadEnv(), want: "env-service-account", wantType: "service_account"},
		{name: "env triple is shown", env: tripleEnv(), want: "env-oauth-token", wantType: "oauth_token"},
		{name: "env quad beats --account", env: quadEnv(), sel: domain.Selection{Account: "beta"}, want: "env-service-account", wantType: "service_account"},
		{name: "env account by name", env: quadEnv(), arg: "env-service-account", want: "env-service-account", wantType: "service_account"},
		{name: "env account by name without env", arg: "env-service-account", code: domain.CodeAccountNotFound},
		{name: "other env account by name", env: quadEnv(), arg: "env-oauth-token", code: domain.CodeAccountNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, standardConfig(t), tt.env)
			got, err := f.app.Accounts.Show(ctx, tt.sel, tt.arg)
			if tt.code != "" {
				wantCode(t, err, tt.code)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Name != tt.want || got.IsActive != tt.active || got.Type != tt.wantType {
				t.Fatalf("Show = %+v, want name %s active %v type %s", got, tt.want, tt.active, tt.wantType)
			}
			if got.ReferencedByTargets == nil {
				t.Fatalf("ReferencedByTargets is nil")
			}
		})
	}
	t.Run("env account summary", func(t *testing.T) {
		f := newFixture(t, standardConfig(t), quadEnv())
		got, err := f.app.Accounts.Show(ctx, domain.Selection{}, "")
		if err != nil {
			t.Fatal(err)
		}
		want := app.AccountSummary{Name: "env-service-account", Type: "service_account", Region: "eu", DefaultProject: ptr("900"), ReferencedByTargets: []string{}, SecretStore: "env"}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("Show = %+v, want %+v", got, want)
		}
	})
	t.Run("no account configured", func(t *testing.T) {
		f := newFixture(t, domain.Config{}, nil)
		_, err := f.app.Accounts.Show(ctx, domain.Selection{}, "")
		e := wantCode(t, err, domain.CodeConfigError)
		if e.Hint == "" {
			t.Fatal("no hint")
		}
	})
	t.Run("load error", func(t *testing.T) {
		a := app.New(app.Deps{Config: brokenStore{}, Storage: inmem.NewAccountStorage()})
		_, err := a.Accounts.Show(ctx, domain.Selection{}, "alpha")
		wantCode(t, err, domain.CodeConfigError)
	})
}

func TestAccountsAdd(t *testing.T) {
	ctx := context.Background()
	t.Run("first account is promoted, second is not", func(t *testing.T) {
		f := newFixture(t, domain.Config{}, nil)
		res, err := f.app.Accounts.Add(ctx, sa("one", "1"))
		if err != nil {
			t.Fatal(err)
		}
		want := app.AddAccountResult{
			Account:  app.AccountSummary{Name: "one", Type: "service_account", Region: "us", DefaultProject: ptr("1"), IsActive: true, ReferencedByTargets: []string{}, SecretStore: "config"},
			Promoted: true,
		}
		if !reflect.DeepEqual(res, want) {
			t.Fatalf("Add = %+v, want %+v", res, want)
		}
		res, err = f.app.Accounts.Add(ctx, tokenAccount("two"))
		if err != nil {
			t.Fatal(err)
		}
		if res.Promoted || res.Account.IsActive {
			t.Fatalf("second account promoted: %+v", res)
		}
		cfg := f.load(t)
		if got := cfg.Active().Account; got != "one" {
			t.Fatalf("active = %q, want one", got)
		}
		stored, ok := cfg.Account("two")
		if !ok || !stored.Token.Equal(domain.NewSecret(tokSecret)) {
			t.Fatalf("stored account two = %v, %v", stored, ok)
		}
	})
	errCases := []struct {
		name string
		acct domain.Account
		code domain.Code
	}{
		{"duplicate", sa("alpha", "1"), domain.CodeAccountExists},
		{"invalid name", sa("../evil", "1"), domain.CodeInvalidArgument},
		{"service account without secret", domain.Account{Name: "x", Type: domain.TypeServiceAccount, Region: "us", Username: "u"}, domain.CodeInvalidArgument},
		{"bad region", domain.Account{Name: "x", Type: domain.TypeOAuthBrowser, Region: "US"}, domain.CodeInvalidArgument},
	}
	for _, tt := range errCases {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, standardConfig(t), nil)
			before := f.load(t).Data()
			_, err := f.app.Accounts.Add(ctx, tt.acct)
			wantCode(t, err, tt.code)
			if after := f.load(t).Data(); !reflect.DeepEqual(before, after) {
				t.Fatalf("config changed on error")
			}
		})
	}
}

func TestAccountsUpdate(t *testing.T) {
	ctx := context.Background()
	t.Run("changes only the given fields", func(t *testing.T) {
		f := newFixture(t, standardConfig(t), nil)
		got, err := f.app.Accounts.Update(ctx, "alpha", domain.AccountPatch{Region: ptr(domain.RegionEU)})
		if err != nil {
			t.Fatal(err)
		}
		want := app.AccountSummary{Name: "alpha", Type: "service_account", Region: "eu", DefaultProject: ptr("100"), IsActive: true, ReferencedByTargets: []string{"ecom"}, SecretStore: "config"}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("Update = %+v, want %+v", got, want)
		}
		a, _ := f.load(t).Account("alpha")
		if a.Region != domain.RegionEU || a.Username != "user-alpha" || !a.Secret.Equal(domain.NewSecret(saSecret)) {
			t.Fatalf("stored = %v", a)
		}
	})
	t.Run("clear project", func(t *testing.T) {
		f := newFixture(t, standardConfig(t), nil)
		got, err := f.app.Accounts.Update(ctx, "gamma", domain.AccountPatch{ClearProject: true})
		if err != nil {
			t.Fatal(err)
		}
		if got.DefaultProject != nil {
			t.Fatalf("default project = %v, want nil", *got.DefaultProject)
		}
	})
	errCases := []struct {
		name    string
		env     inmem.Env
		account domain.AccountName
		patch   domain.AccountPatch
		code    domain.Code
	}{
		{"empty patch", nil, "alpha", domain.AccountPatch{}, domain.CodeInvalidArgument},
		{"unknown account", nil, "nope", domain.AccountPatch{Region: ptr(domain.RegionEU)}, domain.CodeAccountNotFound},
		{"wrong type field", nil, "gamma", domain.AccountPatch{Username: ptr("u")}, domain.CodeInvalidArgument},
		{"env service account", quadEnv(), "env-service-account", domain.AccountPatch{Region: ptr(domain.RegionEU)}, domain.CodeConfigError},
		{"env oauth account", tripleEnv(), "env-oauth-token", domain.AccountPatch{Region: ptr(domain.RegionEU)}, domain.CodeConfigError},
		{"env account name without env", nil, "env-oauth-token", domain.AccountPatch{Region: ptr(domain.RegionEU)}, domain.CodeConfigError},
	}
	for _, tt := range errCases {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, standardConfig(t), tt.env)
			before := f.load(t).Data()
			_, err := f.app.Accounts.Update(ctx, tt.account, tt.patch)
			e := wantCode(t, err, tt.code)
			if tt.code == domain.CodeConfigError && (!strings.Contains(e.Message, "environment") || e.Hint == "") {
				t.Fatalf("env refusal not explained: %q hint %q", e.Message, e.Hint)
			}
			if after := f.load(t).Data(); !reflect.DeepEqual(before, after) {
				t.Fatalf("config changed on error")
			}
		})
	}
	t.Run("config account named like an env account is updatable", func(t *testing.T) {
		f := newFixture(t, mustConfig(t, domain.ConfigData{Accounts: []domain.Account{browserAccount("env-oauth-token", "")}}), nil)
		if _, err := f.app.Accounts.Update(ctx, "env-oauth-token", domain.AccountPatch{Region: ptr(domain.RegionUS)}); err != nil {
			t.Fatal(err)
		}
	})
}

func TestAccountsUse(t *testing.T) {
	ctx := context.Background()
	t.Run("switch clears workspace", func(t *testing.T) {
		f := newFixture(t, standardConfig(t), nil)
		got, err := f.app.Accounts.Use(ctx, "gamma")
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != "gamma" || !got.IsActive {
			t.Fatalf("Use = %+v", got)
		}
		if a := f.load(t).Active(); a != (domain.Active{Account: "gamma"}) {
			t.Fatalf("active = %+v, want gamma without workspace", a)
		}
	})
	t.Run("same account clears the workspace too", func(t *testing.T) {
		f := newFixture(t, standardConfig(t), nil)
		if _, err := f.app.Accounts.Use(ctx, "alpha"); err != nil {
			t.Fatal(err)
		}
		if a := f.load(t).Active(); a != (domain.Active{Account: "alpha"}) {
			t.Fatalf("active = %+v, want alpha without workspace", a)
		}
	})
	t.Run("unknown", func(t *testing.T) {
		f := newFixture(t, standardConfig(t), nil)
		_, err := f.app.Accounts.Use(ctx, "nope")
		wantCode(t, err, domain.CodeAccountNotFound)
		if a := f.load(t).Active(); a.Account != "alpha" || a.Workspace != 7 {
			t.Fatalf("active changed: %+v", a)
		}
	})
}

func TestAccountsRemove(t *testing.T) {
	ctx := context.Background()
	t.Run("unreferenced active account: data deleted, active cleared", func(t *testing.T) {
		cfg := mustConfig(t, domain.ConfigData{
			Accounts: []domain.Account{sa("alpha", "1"), browserAccount("gamma", "")},
			Active:   domain.Active{Account: "gamma", Workspace: 3},
		})
		f := newFixture(t, cfg, nil)
		got, err := f.app.Accounts.Remove(ctx, "gamma", false)
		if err != nil {
			t.Fatal(err)
		}
		want := app.RemoveAccountResult{Name: "gamma", Orphaned: []string{}, WasActive: true}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("Remove = %+v, want %+v", got, want)
		}
		after := f.load(t)
		if _, ok := after.Account("gamma"); ok {
			t.Fatal("account still in config")
		}
		if after.Active() != (domain.Active{}) {
			t.Fatalf("active not cleared: %+v", after.Active())
		}
		if f.storage.HasData("gamma") {
			t.Fatal("account data not deleted")
		}
		if !f.storage.HasData("alpha") {
			t.Fatal("another account's data deleted")
		}
		if r := f.storage.Removed(); !reflect.DeepEqual(r, []domain.AccountName{"gamma"}) {
			t.Fatalf("Removed = %v", r)
		}
		b, _ := json.Marshal(got)
		if string(b) != `{"name":"gamma","orphaned_targets":[],"was_active":true}` {
			t.Fatalf("JSON = %s", b)
		}
	})
	t.Run("referenced account is refused and nothing changes", func(t *testing.T) {
		f := newFixture(t, standardConfig(t), nil)
		before := f.load(t).Data()
		_, err := f.app.Accounts.Remove(ctx, "alpha", false)
		e := wantCode(t, err, domain.CodeAccountInUse)
		if !strings.Contains(e.Message, "ecom") {
			t.Fatalf("message does not name the target: %q", e.Message)
		}
		if !reflect.DeepEqual(before, f.load(t).Data()) {
			t.Fatal("config changed")
		}
		if len(f.storage.Removed()) != 0 || !f.storage.HasData("alpha") {
			t.Fatal("data removed although the config refused")
		}
	})
	t.Run("force orphans targets", func(t *testing.T) {
		f := newFixture(t, standardConfig(t), nil)
		got, err := f.app.Accounts.Remove(ctx, "alpha", true)
		if err != nil {
			t.Fatal(err)
		}
		want := app.RemoveAccountResult{Name: "alpha", Orphaned: []string{"ecom"}, WasActive: true}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("Remove = %+v, want %+v", got, want)
		}
		after := f.load(t)
		if _, err := after.Target("ecom"); err != nil {
			t.Fatalf("orphaned target gone: %v", err)
		}
		if f.storage.HasData("alpha") {
			t.Fatal("data not deleted")
		}
	})
	t.Run("inactive account keeps active", func(t *testing.T) {
		f := newFixture(t, standardConfig(t), nil)
		got, err := f.app.Accounts.Remove(ctx, "gamma", false)
		if err != nil {
			t.Fatal(err)
		}
		if got.WasActive {
			t.Fatal("WasActive true")
		}
		if a := f.load(t).Active(); a != (domain.Active{Account: "alpha", Workspace: 7}) {
			t.Fatalf("active = %+v", a)
		}
	})
	t.Run("unknown", func(t *testing.T) {
		f := newFixture(t, standardConfig(t), nil)
		_, err := f.app.Accounts.Remove(ctx, "nope", true)
		wantCode(t, err, domain.CodeAccountNotFound)
		if len(f.storage.Removed()) != 0 {
			t.Fatal("data removal attempted")
		}
	})
	t.Run("data removal failure says delete by hand", func(t *testing.T) {
		store := inmem.NewConfigStore(standardConfig(t))
		a := app.New(app.Deps{Config: store, Storage: failingStorage{}})
		got, err := a.Accounts.Remove(ctx, "gamma", false)
		e := wantCode(t, err, domain.CodeConfigError)
		if !strings.Contains(e.Message, "removed from the config") || !strings.Contains(e.Hint, "by hand") || !strings.Contains(e.Hint, "accounts/gamma/") {
			t.Fatalf("error does not explain: %q / %q", e.Message, e.Hint)
		}
		if e.Err == nil {
			t.Fatal("cause lost")
		}
		if got.Name != "gamma" {
			t.Fatalf("result = %+v", got)
		}
		cfg, _ := store.Load(ctx)
		if _, ok := cfg.Account("gamma"); ok {
			t.Fatal("account still in config")
		}
	})
}
