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
type Info struct {
	Version   string `json:"version"`
	Commit    string `json:"commit"`
	Date      string `json:"date"`
	GoVersion string `json:"go_version"`
}

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
		Usage: "Print the version, commit, build date and Go version",
		Flags: command.LeafFlags(command.NoAxes),
		Action: func(c *cli.Context) error {
			g, err := f.ReadGlobals(c, command.NoAxes)
			if err != nil {
				return err
			}
			if _, err := command.Args(c, 0, 0, ""); err != nil {
				return err
			}
			opts := &Options{IO: f.IO, Format: g.Format, Info: Info{
				Version: buildinfo.Version, Commit: buildinfo.Commit, Date: buildinfo.Date, GoVersion: buildinfo.GoVersion(),
			}}
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
	})
}
