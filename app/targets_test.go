package app_test

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports/inmem"
)

func TestTargetsAdd(t *testing.T) {
	ctx := context.Background()
	t.Run("adds", func(t *testing.T) {
		f := newFixture(t, standardConfig(t), nil)
		got, err := f.app.Targets.Add(ctx, domain.Target{Name: "prod", Account: "gamma", Project: "5", Workspace: 9})
		if err != nil {
			t.Fatal(err)
		}
		want := app.TargetView{Name: "prod", Account: "gamma", Project: "5", Workspace: ptr(int64(9))}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("Add = %+v, want %+v", got, want)
		}
		if _, err := f.load(t).Target("prod"); err != nil {
			t.Fatalf("not stored: %v", err)
		}
	})
	errCases := []struct {
		name   string
		target domain.Target
		code   domain.Code
	}{
		{"duplicate", domain.Target{Name: "ecom", Account: "alpha", Project: "1"}, domain.CodeTargetExists},
		{"unknown account", domain.Target{Name: "x", Account: "nope", Project: "1"}, domain.CodeAccountNotFound},
		{"bad project", domain.Target{Name: "x", Account: "alpha", Project: "abc"}, domain.CodeInvalidArgument},
		{"missing project", domain.Target{Name: "x", Account: "alpha"}, domain.CodeInvalidArgument},
		{"bad name", domain.Target{Name: "a/b", Account: "alpha", Project: "1"}, domain.CodeInvalidArgument},
	}
	for _, tt := range errCases {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, standardConfig(t), nil)
			before := f.load(t).Data()
			_, err := f.app.Targets.Add(ctx, tt.target)
			wantCode(t, err, tt.code)
			if !reflect.DeepEqual(before, f.load(t).Data()) {
				t.Fatal("config changed on error")
			}
		})
	}
}

func TestTargetsListShow(t *testing.T) {
	ctx := context.Background()
	t.Run("empty list is []", func(t *testing.T) {
		f := newFixture(t, domain.Config{}, nil)
		got, err := f.app.Targets.List(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if b, _ := json.Marshal(got); string(b) != "[]" {
			t.Fatalf("JSON = %s", b)
		}
	})
	t.Run("sorted list", func(t *testing.T) {
		f := newFixture(t, standardConfig(t), nil)
		got, err := f.app.Targets.List(ctx)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(got)
		const golden = `[{"name":"ecom","account":"alpha","project":"111","workspace":11},{"name":"web","account":"beta","project":"222","workspace":null}]`
		if string(b) != golden {
			t.Fatalf("JSON = %s\nwant   %s", b, golden)
		}
	})
	t.Run("list agrees with Show", func(t *testing.T) {
		f := newFixture(t, standardConfig(t), nil)
		got, err := f.app.Targets.List(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range got {
			one, err := f.app.Targets.Show(ctx, domain.TargetName(v.Name))
			if err != nil || !reflect.DeepEqual(v, one) {
				t.Fatalf("List[%d] = %+v, Show = %+v, %v", i, v, one, err)
			}
		}
		// The views share the workspaces' backing array: changing one
		// never changes another.
		*got[0].Workspace = 99
		if again, _ := f.app.Targets.List(ctx); *again[0].Workspace != 11 {
			t.Fatalf("workspace = %d after changing an earlier list", *again[0].Workspace)
		}
	})
	t.Run("show", func(t *testing.T) {
		f := newFixture(t, standardConfig(t), nil)
		got, err := f.app.Targets.Show(ctx, "web")
		if err != nil {
			t.Fatal(err)
		}
		if want := (app.TargetView{Name: "web", Account: "beta", Project: "222"}); !reflect.DeepEqual(got, want) {
			t.Fatalf("Show = %+v, want %+v", got, want)
		}
	})
	t.Run("show unknown", func(t *testing.T) {
		f := newFixture(t, standardConfig(t), nil)
		_, err := f.app.Targets.Show(ctx, "nope")
		wantCode(t, err, domain.CodeTargetNotFound)
	})
	t.Run("load errors", func(t *testing.T) {
		a := app.New(app.Deps{Config: brokenStore{}, Storage: inmem.NewAccountStorage()})
		_, err := a.Targets.List(ctx)
		wantCode(t, err, domain.CodeConfigError)
		_, err = a.Targets.Show(ctx, "web")
		wantCode(t, err, domain.CodeConfigError)
	})
}

func TestTargetsUse(t *testing.T) {
	ctx := context.Background()
	t.Run("writes active and default project in one update", func(t *testing.T) {
		store := &countingStore{ConfigStore: inmem.NewConfigStore(standardConfig(t))}
		a := app.New(app.Deps{Config: store, Storage: inmem.NewAccountStorage()})
		got, err := a.Targets.Use(ctx, "web")
		if err != nil {
			t.Fatal(err)
		}
		if want := (app.TargetView{Name: "web", Account: "beta", Project: "222"}); !reflect.DeepEqual(got, want) {
			t.Fatalf("Use = %+v, want %+v", got, want)
		}
		if n := store.updates.Load(); n != 1 {
			t.Fatalf("Update called %d times, want 1", n)
		}
		cfg, _ := store.Load(ctx)
		if cfg.Active() != (domain.Active{Account: "beta"}) {
			t.Fatalf("active = %+v, want beta without workspace", cfg.Active())
		}
		if b, _ := cfg.Account("beta"); b.DefaultProject != "222" {
			t.Fatalf("default project = %q, want 222", b.DefaultProject)
		}
	})
	t.Run("target workspace becomes active", func(t *testing.T) {
		f := newFixture(t, standardConfig(t), nil)
		if _, err := f.app.Targets.Use(ctx, "ecom"); err != nil {
			t.Fatal(err)
		}
		cfg := f.load(t)
		if cfg.Active() != (domain.Active{Account: "alpha", Workspace: 11}) {
			t.Fatalf("active = %+v", cfg.Active())
		}
		if a, _ := cfg.Account("alpha"); a.DefaultProject != "111" {
			t.Fatalf("default project = %q", a.DefaultProject)
		}
	})
	t.Run("failed write changes nothing", func(t *testing.T) {
		inner := inmem.NewConfigStore(standardConfig(t))
		a := app.New(app.Deps{Config: failingWriteStore{inner}, Storage: inmem.NewAccountStorage()})
		before, _ := inner.Load(ctx)
		_, err := a.Targets.Use(ctx, "web")
		if !errors.Is(err, errWrite) {
			t.Fatalf("err = %v, want the write failure", err)
		}
		after, _ := inner.Load(ctx)
		if !reflect.DeepEqual(before.Data(), after.Data()) {
			t.Fatalf("config changed although the write failed:\nbefore %+v\nafter  %+v", before.Data(), after.Data())
		}
		if after.Active().Account != "alpha" {
			t.Fatal("active changed")
		}
		if b, _ := after.Account("beta"); b.DefaultProject != "" {
			t.Fatal("default project changed")
		}
	})
	t.Run("unknown", func(t *testing.T) {
		f := newFixture(t, standardConfig(t), nil)
		_, err := f.app.Targets.Use(ctx, "nope")
		wantCode(t, err, domain.CodeTargetNotFound)
	})
	t.Run("orphaned target", func(t *testing.T) {
		f := newFixture(t, mustConfig(t, domain.ConfigData{
			Accounts: []domain.Account{sa("alpha", "1")},
			Targets:  []domain.Target{{Name: "orphan", Account: "gone", Project: "2"}},
			Active:   domain.Active{Account: "alpha"},
		}), nil)
		_, err := f.app.Targets.Use(ctx, "orphan")
		wantCode(t, err, domain.CodeAccountNotFound)
		if f.load(t).Active().Account != "alpha" {
			t.Fatal("active changed")
		}
	})
}

func TestTargetsRemove(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, standardConfig(t), nil)
	got, err := f.app.Targets.Remove(ctx, "ecom")
	if err != nil {
		t.Fatal(err)
	}
	if want := (app.TargetView{Name: "ecom", Account: "alpha", Project: "111", Workspace: ptr(int64(11))}); !reflect.DeepEqual(got, want) {
		t.Fatalf("Remove = %+v, want %+v", got, want)
	}
	if names := f.load(t).TargetNames(); !reflect.DeepEqual(names, []domain.TargetName{"web"}) {
		t.Fatalf("targets = %v", names)
	}
	_, err = f.app.Targets.Remove(ctx, "ecom")
	wantCode(t, err, domain.CodeTargetNotFound)
}
