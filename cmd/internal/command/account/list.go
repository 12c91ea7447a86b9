package account

import (
	"context"

	"github.com/urfave/cli/v2"

	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/cmd/internal/command"
	"github.com/mpdata/mp/cmd/internal/iostreams"
	"github.com/mpdata/mp/cmd/internal/render"
)

// ListOptions are the inputs of `mp account list`.
type ListOptions struct {
	IO     *iostreams.IOStreams
	App    func() (*app.App, error)
	Format render.Format
}

// NewCmdList returns `mp account list`. runF replaces the run function in
// tests (nil: the real one).
func NewCmdList(f *command.Factory, runF func(context.Context, *ListOptions) error) *cli.Command {
	return &cli.Command{
		Name:  "list",
		Usage: "List the accounts (the active one is marked *)",
		Flags: command.LeafFlags(command.NoAxes),
		Action: func(c *cli.Context) error {
			g, err := f.ReadGlobals(c, command.NoAxes)
			if err != nil {
				return err
			}
			if _, err := command.Args(c, 0, 0, ""); err != nil {
				return err
			}
			opts := &ListOptions{IO: f.IO, App: f.App, Format: g.Format}
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
	accounts, err := a.Accounts.List(ctx)
	if err != nil {
		return err
	}
	if len(accounts) == 0 {
		opts.IO.Notef("No accounts configured. Add one with `mp account add NAME --type service_account|oauth_browser|oauth_token --region us|eu|in`.")
	}
	return render.ListJSON(opts.IO.Out, opts.Format, accounts, listColumns(), summaryJSON)
}
