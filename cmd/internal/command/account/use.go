package account

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

// UseOptions are the inputs of `mp account use`.
type UseOptions struct {
	IO     *iostreams.IOStreams
	App    func() (*app.App, error)
	Format render.Format
	Name   string
}

// NewCmdUse returns `mp account use NAME`.
func NewCmdUse(f *command.Factory, runF func(context.Context, *UseOptions) error) *cli.Command {
	return &cli.Command{
		Name:      "use",
		Usage:     "Make an account active (switching clears the active workspace)",
		ArgsUsage: "NAME",
		Flags:     command.LeafFlags(command.NoAxes),
		Action: func(c *cli.Context) error {
			g, err := f.ReadGlobals(c, command.NoAxes)
			if err != nil {
				return err
			}
			args, err := command.Args(c, 1, 1, "NAME")
			if err != nil {
				return err
			}
			opts := &UseOptions{IO: f.IO, App: f.App, Format: g.Format, Name: args[0]}
			if runF != nil {
				return runF(c.Context, opts)
			}
			return useRun(c.Context, opts)
		},
	}
}

func useRun(ctx context.Context, opts *UseOptions) error {
	name, err := domain.ParseAccountName(opts.Name)
	if err != nil {
		return err
	}
	a, err := opts.App()
	if err != nil {
		return err
	}
	s, err := a.Accounts.Use(ctx, name)
	if err != nil {
		return err
	}
	if s.Note != "" {
		opts.IO.Notef("note: %s", s.Note)
	}
	msg := fmt.Sprintf("Active account is now '%s' (%s, %s).", s.Name, s.Type, s.Region)
	return render.Outcome(opts.IO.Out, opts.Format, msg, s, recordColumns())
}
