package project

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

// NewCmd returns the `mp project` command group.
func NewCmd(f *command.Factory) *cli.Command {
	return &cli.Command{
		Name:        "project",
		Usage:       "Show or set the project (the account's default project)",
		Action:      command.UnknownCommand,
		Subcommands: []*cli.Command{NewCmdList(f, nil), NewCmdUse(f, nil), NewCmdShow(f, nil)},
	}
}

func columns() []render.Column[app.ProjectView] {
	return []render.Column[app.ProjectView]{
		{Title: "ID", Key: "id", Value: func(p app.ProjectView) string { return p.ID }},
		{Title: "ACCOUNT", Key: "account", Value: func(p app.ProjectView) string { return p.Account }},
		{Title: "SOURCE", Key: "source", Value: func(p app.ProjectView) string { return p.Source }},
	}
}

// UseOptions are the inputs of `mp project use`.
type UseOptions struct {
	IO        *iostreams.IOStreams
	App       func() (*app.App, error)
	Format    render.Format
	Selection domain.Selection
	ID        string
}

// NewCmdUse returns `mp project use ID`.
func NewCmdUse(f *command.Factory, runF func(context.Context, *UseOptions) error) *cli.Command {
	const axes = command.AccountAxes
	return &cli.Command{
		Name:  "use",
		Usage: "Set the default project of the account in use (--account/--target pick another account)",
		Description: "The id must be one of the projects the account's /me answer lists (cached for 24 hours,\n" +
			"fetched when needed): another id is refused with PROJECT_NOT_FOUND (exit 4) and nothing\n" +
			"changes. When Mixpanel cannot be reached, the id is saved unchecked, with a warning.",
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
	id, err := domain.ParseProjectID(opts.ID)
	if err != nil {
		return err
	}
	a, err := opts.App()
	if err != nil {
		return err
	}
	p, err := a.Projects.Use(ctx, opts.Selection, id)
	if err != nil {
		return err
	}
	if p.ShadowedBy != "" {
		opts.IO.Notef("note: %s overrides the default project in this environment.", p.ShadowedBy)
	}
	if p.Note != "" {
		opts.IO.Notef("note: %s", p.Note)
	}
	if p.Warning != "" {
		opts.IO.Warnf("%s", p.Warning)
	}
	msg := fmt.Sprintf("Default project of account '%s' is now %s.", p.Account, p.ID)
	if p.Name != "" {
		msg = fmt.Sprintf("Default project of account '%s' is now %s (%s).", p.Account, p.ID, p.Name)
	}
	return render.Outcome(opts.IO.Out, opts.Format, msg, p, columns())
}

// ShowOptions are the inputs of `mp project show`.
type ShowOptions struct {
	IO        *iostreams.IOStreams
	App       func() (*app.App, error)
	Format    render.Format
	Selection domain.Selection
}

// NewCmdShow returns `mp project show`.
func NewCmdShow(f *command.Factory, runF func(context.Context, *ShowOptions) error) *cli.Command {
	const axes = command.AxisAccount | command.AxisProject | command.AxisTarget
	return &cli.Command{
		Name:  "show",
		Usage: "Show the project in use and where it comes from",
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
	p, err := a.Projects.Show(ctx, opts.Selection)
	if err != nil {
		return err
	}
	return render.Record(opts.IO.Out, opts.Format, p, columns())
}
