package target

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

// NewCmd returns the `mp target` command group.
func NewCmd(f *command.Factory) *cli.Command {
	return &cli.Command{
		Name:   "target",
		Usage:  "Manage saved targets (account + project + optional workspace)",
		Action: command.UnknownCommand,
		Subcommands: []*cli.Command{
			NewCmdAdd(f, nil),
			NewCmdList(f, nil),
			NewCmdShow(f, nil),
			NewCmdUse(f, nil),
			NewCmdRemove(f, nil),
		},
	}
}

// columns are the fields of a target; the table shows NAME ACCOUNT PROJECT
// WORKSPACE.
func columns() []render.Column[app.TargetView] {
	return []render.Column[app.TargetView]{
		{Title: "NAME", Key: "name", Value: func(t app.TargetView) string { return t.Name }},
		{Title: "ACCOUNT", Key: "account", Value: func(t app.TargetView) string { return t.Account }},
		{Title: "PROJECT", Key: "project", Value: func(t app.TargetView) string { return t.Project }},
		{
			Title: "WORKSPACE", Key: "workspace",
			Value: func(t app.TargetView) string { return render.OptionalInt(t.Workspace) },
			Show: func(t app.TargetView) string {
				if t.Workspace == nil {
					return "-"
				}
				return render.OptionalInt(t.Workspace)
			},
		},
	}
}

// viewJSON writes a TargetView as encoding/json does (its fields in
// order, ShadowedByBridge and Note omitted when empty), for lists of
// thousands of targets (render.ListJSON).
func viewJSON(e *render.JSONEncoder, t app.TargetView) {
	e.BeginObject()
	e.Field("name")
	e.String(t.Name)
	e.Field("account")
	e.String(t.Account)
	e.Field("project")
	e.String(t.Project)
	e.Field("workspace")
	e.OptionalInt(t.Workspace)
	e.StringFieldOmitEmpty("shadowed_by_bridge", t.ShadowedByBridge)
	e.StringFieldOmitEmpty("note", t.Note)
	e.EndObject()
}

// describe renders a target for a message: "account 'a', project 1,
// workspace 2".
func describe(t app.TargetView) string {
	s := fmt.Sprintf("account '%s', project %s", t.Account, t.Project)
	if t.Workspace != nil {
		s += fmt.Sprintf(", workspace %d", *t.Workspace)
	}
	return s
}

// nameOptions are the inputs of the subcommands that take one target NAME.
type nameOptions struct {
	IO     *iostreams.IOStreams
	App    func() (*app.App, error)
	Format render.Format
	Name   string
}

// ShowOptions are the inputs of `mp target show`.
type ShowOptions nameOptions

// UseOptions are the inputs of `mp target use`.
type UseOptions nameOptions

// RemoveOptions are the inputs of `mp target remove`.
type RemoveOptions nameOptions

// nameAction builds the action of a subcommand that takes one target NAME.
func nameAction[O ~struct {
	IO     *iostreams.IOStreams
	App    func() (*app.App, error)
	Format render.Format
	Name   string
}](f *command.Factory, runF, run func(context.Context, *O) error) cli.ActionFunc {
	return func(c *cli.Context) error {
		g, err := f.ReadGlobals(c, command.NoAxes)
		if err != nil {
			return err
		}
		args, err := command.Args(c, 1, 1, "NAME")
		if err != nil {
			return err
		}
		opts := O{IO: f.IO, App: f.App, Format: g.Format, Name: args[0]}
		if runF != nil {
			return runF(c.Context, &opts)
		}
		return run(c.Context, &opts)
	}
}

// NewCmdShow returns `mp target show NAME`.
func NewCmdShow(f *command.Factory, runF func(context.Context, *ShowOptions) error) *cli.Command {
	return &cli.Command{
		Name: "show", Usage: "Show one target", ArgsUsage: "NAME",
		Flags:  command.LeafFlags(command.NoAxes),
		Action: nameAction(f, runF, showRun),
	}
}

func showRun(ctx context.Context, opts *ShowOptions) error {
	name, err := domain.ParseTargetName(opts.Name)
	if err != nil {
		return err
	}
	a, err := opts.App()
	if err != nil {
		return err
	}
	t, err := a.Targets.Show(ctx, name)
	if err != nil {
		return err
	}
	return render.Record(opts.IO.Out, opts.Format, t, columns())
}

// NewCmdUse returns `mp target use NAME`.
func NewCmdUse(f *command.Factory, runF func(context.Context, *UseOptions) error) *cli.Command {
	return &cli.Command{
		Name:      "use",
		Usage:     "Apply a target: make its account active with its workspace, and set its project as the account's default project",
		ArgsUsage: "NAME",
		Flags:     command.LeafFlags(command.NoAxes),
		Action:    nameAction(f, runF, useRun),
	}
}

func useRun(ctx context.Context, opts *UseOptions) error {
	name, err := domain.ParseTargetName(opts.Name)
	if err != nil {
		return err
	}
	a, err := opts.App()
	if err != nil {
		return err
	}
	t, err := a.Targets.Use(ctx, name)
	if err != nil {
		return err
	}
	if t.Note != "" {
		opts.IO.Notef("note: %s", t.Note)
	}
	msg := fmt.Sprintf("Using target '%s': %s.", t.Name, describe(t))
	return render.Outcome(opts.IO.Out, opts.Format, msg, t, columns())
}

// NewCmdRemove returns `mp target remove NAME`.
func NewCmdRemove(f *command.Factory, runF func(context.Context, *RemoveOptions) error) *cli.Command {
	return &cli.Command{
		Name: "remove", Usage: "Remove a target (an unknown NAME is an error, exit code 4)", ArgsUsage: "NAME",
		Flags:  command.LeafFlags(command.NoAxes),
		Action: nameAction(f, runF, removeRun),
	}
}

func removeRun(ctx context.Context, opts *RemoveOptions) error {
	name, err := domain.ParseTargetName(opts.Name)
	if err != nil {
		return err
	}
	a, err := opts.App()
	if err != nil {
		return err
	}
	t, err := a.Targets.Remove(ctx, name)
	if err != nil {
		return err
	}
	msg := fmt.Sprintf("Removed target '%s'.", t.Name)
	return render.Outcome(opts.IO.Out, opts.Format, msg, t, columns())
}
