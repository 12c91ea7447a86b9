package inspect

import (
	"context"
	"strconv"

	"github.com/urfave/cli/v2"

	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/cmd/internal/command"
	"github.com/mpdata/mp/cmd/internal/iostreams"
	"github.com/mpdata/mp/cmd/internal/render"
	"github.com/mpdata/mp/domain"
)

// DefaultLimit is the number of event names `mp inspect events` asks for
// when --limit is not given.
const DefaultLimit = 255

// NewCmd returns the `mp inspect` command group.
func NewCmd(f *command.Factory) *cli.Command {
	return &cli.Command{
		Name:        "inspect",
		Usage:       "Look at what the project in use holds (event names)",
		Action:      command.UnknownCommand,
		Subcommands: []*cli.Command{NewCmdEvents(f, nil)},
	}
}

// EventsOptions are the inputs of `mp inspect events`.
type EventsOptions struct {
	IO        *iostreams.IOStreams
	App       func() (*app.App, error)
	Format    render.Format
	Selection domain.Selection
	Limit     int
}

// NewCmdEvents returns `mp inspect events [--limit N]`.
func NewCmdEvents(f *command.Factory, runF func(context.Context, *EventsOptions) error) *cli.Command {
	const axes = command.AllAxes
	return &cli.Command{
		Name:  "events",
		Usage: "List the event names of the project (workspace-scoped when a workspace is set)",
		Description: "GET /api/query/events/names. JSON prints an array of names; table one EVENT column; csv,\n" +
			"plain and jsonl one record {event} per name.",
		Flags: command.LeafFlags(axes,
			&cli.StringFlag{Name: "limit", Value: strconv.Itoa(DefaultLimit), Usage: "how many names to ask for (a positive integer)"},
		),
		Action: func(c *cli.Context) error {
			g, err := f.ReadGlobals(c, axes)
			if err != nil {
				return err
			}
			if _, err := command.Args(c, 0, 0, ""); err != nil {
				return err
			}
			limit, err := parseLimit(c.String("limit"))
			if err != nil {
				return err
			}
			opts := &EventsOptions{IO: f.IO, App: f.App, Format: g.Format, Selection: g.Selection, Limit: limit}
			if runF != nil {
				return runF(c.Context, opts)
			}
			return eventsRun(c.Context, opts)
		},
	}
}

// parseLimit validates --limit: a positive integer.
func parseLimit(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		return 0, domain.NewError(domain.CodeInvalidArgument, "flag --limit: %q is not a positive integer", s).
			WithDetail("flag", "--limit").
			WithHint("pass a number of event names, e.g. --limit %d", DefaultLimit)
	}
	return n, nil
}

func eventsRun(ctx context.Context, opts *EventsOptions) error {
	a, err := opts.App()
	if err != nil {
		return err
	}
	names, err := a.Query.EventNames(ctx, opts.Selection, opts.Limit)
	if err != nil {
		return err
	}
	if names == nil {
		names = []string{}
	}
	if len(names) == 0 {
		opts.IO.Notef("The project has no events yet.")
	}
	if opts.Format == render.JSON {
		return render.WriteJSON(opts.IO.Out, names)
	}
	rows := make([]eventRow, len(names))
	for i, n := range names {
		rows[i] = eventRow{Event: n}
	}
	return render.List(opts.IO.Out, opts.Format, rows, columns())
}

// eventRow is one event name as a record (jsonl, csv).
type eventRow struct {
	Event string `json:"event"`
}

func columns() []render.Column[eventRow] {
	return []render.Column[eventRow]{
		{Title: "EVENT", Key: "event", Value: func(r eventRow) string { return r.Event }},
	}
}
