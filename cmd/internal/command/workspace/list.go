package workspace

import (
	"context"
	"strconv"

	"github.com/urfave/cli/v2"

	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/cmd/internal/command"
	"github.com/mpdata/mp/cmd/internal/iostreams"
	"github.com/mpdata/mp/cmd/internal/render"
	"github.com/mpdata/mp/domain"
)

// ListOptions are the inputs of `mp workspace list`.
type ListOptions struct {
	IO        *iostreams.IOStreams
	App       func() (*app.App, error)
	Format    render.Format
	Selection domain.Selection
	// Refresh bypasses the /me cache.
	Refresh bool
}

// NewCmdList returns `mp workspace list [--refresh]`.
func NewCmdList(f *command.Factory, runF func(context.Context, *ListOptions) error) *cli.Command {
	const axes = command.AllAxes
	return &cli.Command{
		Name:  "list",
		Usage: "List the workspaces of the project in use (the one in use is marked *)",
		Description: "Workspaces come from the /me answer (cached for 24 hours; --refresh asks again), or from\n" +
			"GET /api/app/projects/{id}/workspaces/public when /me lists none for the project. ACTIVE marks\n" +
			"the session's workspace, or the one a request would pick lazily (the default, else the\n" +
			"first) when none is set.",
		Flags: command.LeafFlags(axes,
			&cli.BoolFlag{Name: "refresh", Usage: "ignore the /me cache and ask Mixpanel"},
		),
		Action: func(c *cli.Context) error {
			g, err := f.ReadGlobals(c, axes)
			if err != nil {
				return err
			}
			if _, err := command.Args(c, 0, 0, ""); err != nil {
				return err
			}
			opts := &ListOptions{IO: f.IO, App: f.App, Format: g.Format, Selection: g.Selection, Refresh: c.Bool("refresh")}
			if runF != nil {
				return runF(c.Context, opts)
			}
			return listRun(c.Context, opts)
		},
	}
}

func listRun(ctx context.Context, opts *ListOptions) error {
	a, err := opts.App()
	if err != nil {
		return err
	}
	workspaces, err := a.Workspaces.List(ctx, opts.Selection, opts.Refresh)
	if err != nil {
		return err
	}
	if len(workspaces) == 0 {
		opts.IO.Notef("The project has no workspaces.")
	}
	return render.List(opts.IO.Out, opts.Format, workspaces, listColumns())
}

// listColumns are the columns of `mp workspace list`: ID NAME DEFAULT
// ACTIVE.
func listColumns() []render.Column[app.WorkspaceSummary] {
	type col = render.Column[app.WorkspaceSummary]
	return []col{
		{Title: "ID", Key: "id", Value: func(w app.WorkspaceSummary) string { return strconv.FormatInt(w.ID, 10) }},
		{Title: "NAME", Key: "name", Value: func(w app.WorkspaceSummary) string { return w.Name }},
		{
			Title: "DEFAULT", Key: "is_default",
			Value: func(w app.WorkspaceSummary) string { return render.Bool(w.IsDefault) },
			Show:  func(w app.WorkspaceSummary) string { return mark(w.IsDefault) },
		},
		{
			Title: "ACTIVE", Key: "is_active",
			Value: func(w app.WorkspaceSummary) string { return render.Bool(w.IsActive) },
			Show:  func(w app.WorkspaceSummary) string { return mark(w.IsActive) },
		},
	}
}

func mark(b bool) string {
	if b {
		return "*"
	}
	return ""
}
