package account

import (
	"context"
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/cmd/internal/command"
	"github.com/mpdata/mp/cmd/internal/iostreams"
	"github.com/mpdata/mp/cmd/internal/render"
	"github.com/mpdata/mp/domain"
)

const flagForce = "force"

// RemoveOptions are the inputs of `mp account remove`.
type RemoveOptions struct {
	IO     *iostreams.IOStreams
	App    func() (*app.App, error)
	Format render.Format
	Name   string
	Force  bool
}

// NewCmdRemove returns `mp account remove NAME [--force]`.
func NewCmdRemove(f *command.Factory, runF func(context.Context, *RemoveOptions) error) *cli.Command {
	return &cli.Command{
		Name:      "remove",
		Usage:     "Remove an account and its stored data (refused while targets use it, unless --force)",
		ArgsUsage: "NAME",
		Flags: command.LeafFlags(command.NoAxes,
			&cli.BoolFlag{Name: flagForce, Usage: "remove even when targets use the account (they are left orphaned and listed)"},
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
			opts := &RemoveOptions{IO: f.IO, App: f.App, Format: g.Format, Name: args[0], Force: c.Bool(flagForce)}
			if runF != nil {
				return runF(c.Context, opts)
			}
			return removeRun(c.Context, opts)
		},
	}
}

func removeColumns() []render.Column[app.RemoveAccountResult] {
	return []render.Column[app.RemoveAccountResult]{
		{Title: "NAME", Key: "name", Value: func(r app.RemoveAccountResult) string { return r.Name }},
		{Title: "ORPHANED TARGETS", Key: "orphaned_targets", Value: func(r app.RemoveAccountResult) string { return render.Join(r.Orphaned) }},
		{Title: "WAS ACTIVE", Key: "was_active", Value: func(r app.RemoveAccountResult) string { return render.Bool(r.WasActive) }},
	}
}

func removeRun(ctx context.Context, opts *RemoveOptions) error {
	name, err := domain.ParseAccountName(opts.Name)
	if err != nil {
		return err
	}
	a, err := opts.App()
	if err != nil {
		return err
	}
	res, err := a.Accounts.Remove(ctx, name, opts.Force)
	if err != nil {
		return err
	}
	msg := fmt.Sprintf("Removed account '%s'.", res.Name)
	if len(res.Orphaned) > 0 {
		msg += fmt.Sprintf("\nOrphaned targets (their account no longer exists): %s", strings.Join(res.Orphaned, ", "))
	}
	if res.WasActive {
		opts.IO.Notef("It was the active account; choose another with `mp account use NAME`.")
	}
	return render.Outcome(opts.IO.Out, opts.Format, msg, res, removeColumns())
}
