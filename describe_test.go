package mp_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	mp "github.com/mpdata/mp"
)

// TestDescribeTellsWhereEachAxisCameFrom: the handle pins its session, yet
// Describe reports where each axis was chosen from — the config's active
// account and its default project for a plain Open, the options a Use
// named, a target — and an axis a Use carried over keeps its source.
func TestDescribeTellsWhereEachAxisCameFrom(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, 2, 2)
	ws := f.open(t)
	if _, err := ws.Targets.Add(ctx, mp.Target{Name: "t", Account: f.account(1), Project: f.project(1, 1), Workspace: f.workspace(1, 1)}); err != nil {
		t.Fatal(err)
	}
	type sources struct{ account, project, workspace string }
	describe := func(step string) sources {
		t.Helper()
		d, err := ws.Describe(ctx, mp.DescribeOptions{Explain: true})
		if err != nil {
			t.Fatalf("%s: Describe: %v", step, err)
		}
		if d.Explain == nil || d.Explain.Account.Winner.Kind == "" {
			t.Fatalf("%s: no explanation: %+v", step, d)
		}
		got := sources{account: d.Account.Source, project: d.Project.Source}
		if d.Workspace != nil {
			got.workspace = d.Workspace.Source
		}
		return got
	}
	steps := []struct {
		name string
		use  []mp.UseOption
		want sources
	}{
		{"Open", nil, sources{"config [active]", "default_project of account " + f.account(0), ""}},
		{"Use(WithProject)", []mp.UseOption{mp.WithProject(f.project(0, 1))}, sources{"config [active]", "option WithProject", ""}},
		{"Use(WithAccount)", []mp.UseOption{mp.WithAccount(f.account(1))}, sources{"option WithAccount", "default_project of account " + f.account(1), ""}},
		{"Use(WithWorkspace)", []mp.UseOption{mp.WithWorkspace(f.workspace(1, 0))}, sources{"option WithAccount", "default_project of account " + f.account(1), "option WithWorkspace"}},
		{"Use(WithTarget)", []mp.UseOption{mp.WithTarget("t")}, sources{"target t", "target t", "target t"}},
	}
	for _, st := range steps {
		if st.use != nil {
			if err := ws.Use(ctx, st.use...); err != nil {
				t.Fatalf("%s: %v", st.name, err)
			}
		}
		if got := describe(st.name); got != st.want {
			t.Errorf("%s: sources %+v, want %+v", st.name, got, st.want)
		}
	}
}

// TestErrorsNameOptionsNotFlags: an error about a value a selection option
// gave names the option, not the command line's flag.
func TestErrorsNameOptionsNotFlags(t *testing.T) {
	ctx := context.Background()
	ws := newFixture(t, 1, 1).open(t)
	for _, tt := range []struct {
		opt  mp.UseOption
		want string
	}{
		{mp.WithAccount("nobody"), "option WithAccount: "},
		{mp.WithProject("abc"), "option WithProject: "},
	} {
		err := ws.Use(ctx, tt.opt)
		var e *mp.Error
		if !errors.As(err, &e) || !strings.HasPrefix(e.Error(), tt.want) || !strings.HasPrefix(e.Message(), tt.want) || strings.Contains(e.Error(), "flag --") {
			t.Errorf("Use = %v; want a message starting %q", err, tt.want)
		}
	}
}
