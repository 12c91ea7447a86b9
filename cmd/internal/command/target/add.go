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

// AddOptions are the inputs of `mp target add`. Account, Project and
// Workspace are the command's own flags, not the global selection.
type AddOptions struct {
	IO        *iostreams.IOStreams
	App       func() (*app.App, error)
	Format    render.Format
	Name      string
	Account   string
	Project   string
	Workspace string
	// WorkspaceSet records whether --workspace was given.
	WorkspaceSet bool
}

// NewCmdAdd returns `mp target add NAME --account A --project P [--workspace W]`.
func NewCmdAdd(f *command.Factory, runF func(context.Context, *AddOptions) error) *cli.Command {
	return &cli.Command{
		Name:      "add",
		Usage:     "Save a target (its account must exist)",
		ArgsUsage: "NAME",
		Description: "--account, --project and --workspace here are the target's own values; the\n" +
			"global selection flags of the same names do not apply to this command.",
		Flags: command.LeafFlags(command.NoAxes,
			&cli.StringFlag{Name: "account", Aliases: []string{"a"}, Usage: "the target's account (required)"},
			&cli.StringFlag{Name: "project", Aliases: []string{"p"}, Usage: "the target's project id (required)"},
			&cli.StringFlag{Name: "workspace", Aliases: []string{"w"}, Usage: "the target's workspace id"},
		),
		Action: func(c *cli.Context) error {
			g, err := f.ReadGlobals(c, command.NoAxes)
			if err != nil {
				return err
			}
			args, err := command.Args(c, 1, 1, "NAME")
			if err != nil {
				return err
			}
			opts := &AddOptions{
				IO: f.IO, App: f.App, Format: g.Format, Name: args[0],
				Account:      c.String("account"),
				Project:      c.String("project"),
				Workspace:    c.String("workspace"),
				WorkspaceSet: c.IsSet("workspace"),
			}
			if runF != nil {
				return runF(c.Context, opts)
			}
			return addRun(c.Context, opts)
		},
	}
}

func addRun(ctx context.Context, opts *AddOptions) error {
	t, err := buildTarget(opts)
	if err != nil {
		return err
	}
	a, err := opts.App()
	if err != nil {
		return err
	}
	v, err := a.Targets.Add(ctx, t)
	if err != nil {
		return err
	}
	msg := fmt.Sprintf("Added target '%s' (%s).", v.Name, describe(v))
	return render.Outcome(opts.IO.Out, opts.Format, msg, v, columns())
}

func buildTarget(opts *AddOptions) (domain.Target, error) {
	name, err := domain.ParseTargetName(opts.Name)
	if err != nil {
		return domain.Target{}, err
	}
	t := domain.Target{Name: name}
	if opts.Account == "" {
		return t, command.Usagef("pass --account A (an existing account; see `mp account list`)", "`mp target add` needs --account")
	}
	if t.Account, err = domain.ParseAccountName(opts.Account); err != nil {
		return t, command.FlagError("--account", err)
	}
	if opts.Project == "" {
		return t, command.Usagef("pass --project P (a project id)", "`mp target add` needs --project")
	}
	if t.Project, err = domain.ParseProjectID(opts.Project); err != nil {
		return t, command.FlagError("--project", err)
	}
	if opts.WorkspaceSet {
		if t.Workspace, err = domain.ParseWorkspaceID(opts.Workspace); err != nil {
			return t, command.FlagError("--workspace", err)
		}
	}
	return t, nil
}
