package version

import (
	"context"

	"github.com/urfave/cli/v2"

	"github.com/mpdata/mp/cmd/internal/command"
	"github.com/mpdata/mp/cmd/internal/iostreams"
	"github.com/mpdata/mp/cmd/internal/render"
	buildinfo "github.com/mpdata/mp/internal/version"
)

// Info is the build identity printed by `mp version`.
type Info = buildinfo.Info

// Options are the inputs of `mp version`.
type Options struct {
	IO     *iostreams.IOStreams
	Format render.Format
	Info   Info
}

// NewCmd returns `mp version`.
func NewCmd(f *command.Factory, runF func(context.Context, *Options) error) *cli.Command {
	return &cli.Command{
		Name:  "version",
		Usage: "Print the version, commit, build date, Go version and OS/arch",
		Flags: command.LeafFlags(command.NoAxes),
		Action: func(c *cli.Context) error {
			g, err := f.ReadGlobals(c, command.NoAxes)
			if err != nil {
				return err
			}
			if _, err := command.Args(c, 0, 0, ""); err != nil {
				return err
			}
			opts := &Options{IO: f.IO, Format: g.Format, Info: buildinfo.Get()}
			if runF != nil {
				return runF(c.Context, opts)
			}
			return run(c.Context, opts)
		},
	}
}

func run(_ context.Context, opts *Options) error {
	return render.Record(opts.IO.Out, opts.Format, opts.Info, []render.Column[Info]{
		{Title: "VERSION", Key: "version", Value: func(i Info) string { return i.Version }},
		{Title: "COMMIT", Key: "commit", Value: func(i Info) string { return i.Commit }},
		{Title: "DATE", Key: "date", Value: func(i Info) string { return i.Date }},
		{Title: "GO", Key: "go_version", Value: func(i Info) string { return i.GoVersion }},
		{Title: "PLATFORM", Key: "platform", Value: func(i Info) string { return i.Platform }},
	})
}
