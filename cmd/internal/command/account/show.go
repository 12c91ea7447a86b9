package account

import (
	"context"

	"github.com/urfave/cli/v2"

	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/cmd/internal/command"
	"github.com/mpdata/mp/cmd/internal/iostreams"
	"github.com/mpdata/mp/cmd/internal/render"
	"github.com/mpdata/mp/domain"
)

// ShowOptions are the inputs of `mp account show`.
type ShowOptions struct {
	IO        *iostreams.IOStreams
	App       func() (*app.App, error)
	Format    render.Format
	Selection domain.Selection
	// Name is the account to show; empty: the one the resolver picks.
	Name domain.AccountName
}

// NewCmdShow returns `mp account show [NAME]`.
func NewCmdShow(f *command.Factory, runF func(context.Context, *ShowOptions) error) *cli.Command {
	const axes = command.AccountAxes
	return &cli.Command{
		Name:      "show",
		Usage:     "Show one account (default: the one in use, honouring --account, --target and MP_ACCOUNT); never shows secrets",
		ArgsUsage: "[NAME]",
		Flags:     command.LeafFlags(axes),
		Action: func(c *cli.Context) error {
			g, err := f.ReadGlobals(c, axes)
			if err != nil {
				return err
			}
			args, err := command.Args(c, 0, 1, "[NAME]")
			if err != nil {
				return err
			}
			opts := &ShowOptions{IO: f.IO, App: f.App, Format: g.Format, Selection: g.Selection}
			if len(args) == 1 {
				if opts.Name, err = domain.ParseAccountName(args[0]); err != nil {
					return err
				}
				if !g.Selection.IsZero() {
					return command.Usagef("pass either NAME or --account/--target, not both",
						"`%s` got both the account NAME %q and a selection flag", command.CommandPath(c), args[0])
				}
			}
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
	s, err := a.Accounts.Show(ctx, opts.Selection, opts.Name)
	if err != nil {
		return err
	}
	return render.Record(opts.IO.Out, opts.Format, s, recordColumns())
}
