package workspace

import (
	"context"
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/cmd/internal/command"
	"github.com/mpdata/mp/cmd/internal/iostreams"
	"github.com/mpdata/mp/cmd/internal/render"
	"github.com/mpdata/mp/domain"
)

// lazy is how an unset workspace is shown to humans.
const lazy = "auto-resolved on first use"

// NewCmd returns the `mp workspace` command group.
func NewCmd(f *command.Factory) *cli.Command {
	return &cli.Command{
		Name:        "workspace",
		Usage:       "Show or set the workspace (optional; resolved on first use when unset)",
		Action:      command.UnknownCommand,
		Subcommands: []*cli.Command{NewCmdList(f, nil), NewCmdUse(f, nil), NewCmdShow(f, nil)},
	}
}

func columns() []render.Column[app.WorkspaceView] {
	return []render.Column[app.WorkspaceView]{
		{
			Title: "ID", Key: "id",
			Value: func(w app.WorkspaceView) string { return render.OptionalInt(w.ID) },
			Show: func(w app.WorkspaceView) string {
				if w.ID == nil {
					return lazy
				}
				return render.OptionalInt(w.ID)
			},
		},
		{Title: "SOURCE", Key: "source", Value: func(w app.WorkspaceView) string { return w.Source }},
		{Title: "ACCOUNT", Key: "account", Value: func(w app.WorkspaceView) string { return w.Account }},
		{Title: "PROJECT", Key: "project", Value: func(w app.WorkspaceView) string { return w.Project }},
	}
}

// UseOptions are the inputs of `mp workspace use`.
type UseOptions struct {
	IO        *iostreams.IOStreams
	App       func() (*app.App, error)
	Format    render.Format
	Selection domain.Selection
	ID        string
}

// NewCmdUse returns `mp workspace use ID`.
func NewCmdUse(f *command.Factory, runF func(context.Context, *UseOptions) error) *cli.Command {
	const axes = command.AccountAxes
	return &cli.Command{
		Name:  "use",
		Usage: "Set the active workspace (it belongs to the active account)",
		Description: "The id must be one of the workspaces of the project in use (from /me, else the\n" +
			"workspaces endpoint): a workspace of another project is refused (INVALID_ARGUMENT,\n" +
			"exit 3) and nothing changes. `mp workspace list` shows the ones to choose from.",
		ArgsUsage: "ID",
		Flags:     command.LeafFlags(axes),
		Action: func(c *cli.Context) error {
			g, err := f.ReadGlobals(c, axes)
			if err != nil {
				return err
			}
			args, err := command.Args(c, 1, 1, "ID")
			if err != nil {
				return err
			}
			opts := &UseOptions{IO: f.IO, App: f.App, Format: g.Format, Selection: g.Selection, ID: args[0]}
			if runF != nil {
				return runF(c.Context, opts)
			}
			return useRun(c.Context, opts)
		},
	}
}

func useRun(ctx context.Context, opts *UseOptions) error {
	id, err := domain.ParseWorkspaceID(opts.ID)
	if err != nil {
		return err
	}
	a, err := opts.App()
	if err != nil {
		return err
	}
	w, err := a.Workspaces.Use(ctx, opts.Selection, id)
	if err != nil {
		return err
	}
	if w.ShadowedBy != "" {
		opts.IO.Notef("note: %s overrides the active workspace in this environment.", w.ShadowedBy)
	}
	msg := fmt.Sprintf("Active workspace is now %d (account '%s').", id, w.Account)
	return render.Outcome(opts.IO.Out, opts.Format, msg, w, columns())
}

// ShowOptions are the inputs of `mp workspace show`.
type ShowOptions struct {
	IO        *iostreams.IOStreams
	App       func() (*app.App, error)
	Format    render.Format
	Selection domain.Selection
}

// NewCmdShow returns `mp workspace show`.
func NewCmdShow(f *command.Factory, runF func(context.Context, *ShowOptions) error) *cli.Command {
	const axes = command.AllAxes
	return &cli.Command{
		Name:  "show",
		Usage: "Show the workspace in use and where it comes from",
		Flags: command.LeafFlags(axes),
		Action: func(c *cli.Context) error {
			g, err := f.ReadGlobals(c, axes)
			if err != nil {
				return err
			}
			if _, err := command.Args(c, 0, 0, ""); err != nil {
				return err
			}
			opts := &ShowOptions{IO: f.IO, App: f.App, Format: g.Format, Selection: g.Selection}
			if runF != nil {
				return runF(c.Context, opts)
			}
			return showRun(c.Context, opts)
		},
	}
}

func showRun(ctx context.Context, opts *ShowOptions) error {
	a, err := opts.App()
	if err != nil {
		return err
	}
	w, err := a.Workspaces.Show(ctx, opts.Selection)
	if err != nil {
		return err
	}
	return render.Record(opts.IO.Out, opts.Format, w, columns())
}
