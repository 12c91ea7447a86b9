package target

import (
	"context"

	"github.com/urfave/cli/v2"

	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/cmd/internal/command"
	"github.com/mpdata/mp/cmd/internal/iostreams"
	"github.com/mpdata/mp/cmd/internal/render"
)

// ListOptions are the inputs of `mp target list`.
type ListOptions struct {
	IO     *iostreams.IOStreams
	App    func() (*app.App, error)
	Format render.Format
}

// NewCmdList returns `mp target list`.
func NewCmdList(f *command.Factory, runF func(context.Context, *ListOptions) error) *cli.Command {
	return &cli.Command{
		Name:  "list",
		Usage: "List the saved targets",
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
	targets, err := a.Targets.List(ctx)
	if err != nil {
		return err
	}
	if len(targets) == 0 {
		opts.IO.Notef("No targets saved. Add one with `mp target add NAME --account A --project P [--workspace W]`.")
	}
	return render.ListJSON(opts.IO.Out, opts.Format, targets, columns(), viewJSON)
}
