package query

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/cmd/internal/command"
	"github.com/mpdata/mp/cmd/internal/iostreams"
	"github.com/mpdata/mp/cmd/internal/render"
	"github.com/mpdata/mp/domain"
)

// NewCmd returns the `mp query` command group.
func NewCmd(f *command.Factory) *cli.Command {
	return &cli.Command{
		Name:        "query",
		Usage:       "Run queries against the project in use (Mixpanel query API)",
		Action:      command.UnknownCommand,
		Subcommands: []*cli.Command{NewCmdSegmentation(f, nil)},
	}
}

// Flag names of `mp query segmentation`.
const (
	flagEvent = "event"
	flagFrom  = "from"
	flagTo    = "to"
	flagOn    = "on"
	flagUnit  = "unit"
	flagWhere = "where"
	flagType  = "type"
)

// SegmentationOptions are the inputs of `mp query segmentation`.
type SegmentationOptions struct {
	IO        *iostreams.IOStreams
	App       func() (*app.App, error)
	Format    render.Format
	Selection domain.Selection
	// Query is the query as given; the app fills the defaults and
	// validates it.
	Query domain.SegmentationQuery
}

// NewCmdSegmentation returns `mp query segmentation -e EVENT --from D --to D …`.
func NewCmdSegmentation(f *command.Factory, runF func(context.Context, *SegmentationOptions) error) *cli.Command {
	const axes = command.AllAxes
	return &cli.Command{
		Name:  "segmentation",
		Usage: "Count an event over a date range, optionally segmented by a property",
		Description: "GET /api/query/segmentation on the project in use (project_id is always sent, workspace_id\n" +
			"when a workspace is set). JSON prints {event, from_date, to_date, unit, segment_property, total,\n" +
			"series}, where series maps each segment to its counts by date and total is the sum of every\n" +
			"count. table, csv, plain and jsonl print one DATE SEGMENT COUNT row per count, sorted by date\n" +
			"then segment. A bare --on NAME is sent as properties[\"NAME\"].",
		Flags: command.LeafFlags(axes,
			&cli.StringFlag{Name: flagEvent, Aliases: []string{"e"}, Usage: "event name (required)"},
			&cli.StringFlag{Name: flagFrom, Usage: "first day, YYYY-MM-DD (required)"},
			&cli.StringFlag{Name: flagTo, Usage: "last day, YYYY-MM-DD, not before --from (required)"},
			&cli.StringFlag{Name: flagOn, Usage: "property to segment by: a name, or an expression like user[\"plan\"]"},
			&cli.StringFlag{Name: flagUnit, Usage: "bucket: day, week or month (default: day)"},
			&cli.StringFlag{Name: flagWhere, Usage: "filter expression, sent as is"},
			&cli.StringFlag{Name: flagType, Usage: "count type: general, unique or average (default: general)"},
		),
		Action: func(c *cli.Context) error {
			g, err := f.ReadGlobals(c, axes)
			if err != nil {
				return err
			}
			if _, err := command.Args(c, 0, 0, ""); err != nil {
				return err
			}
			for _, req := range []string{flagEvent, flagFrom, flagTo} {
				if c.String(req) == "" {
					return command.Usagef("usage: mp query segmentation -e EVENT --from YYYY-MM-DD --to YYYY-MM-DD",
						"`%s` needs --%s", command.CommandPath(c), req)
				}
			}
			opts := &SegmentationOptions{
				IO: f.IO, App: f.App, Format: g.Format, Selection: g.Selection,
				Query: domain.SegmentationQuery{
					Event: c.String(flagEvent), From: c.String(flagFrom), To: c.String(flagTo),
					On: c.String(flagOn), Unit: c.String(flagUnit), Where: c.String(flagWhere), Type: c.String(flagType),
				},
			}
			if runF != nil {
				return runF(c.Context, opts)
			}
			return segmentationRun(c.Context, opts)
		},
	}
}

func segmentationRun(ctx context.Context, opts *SegmentationOptions) error {
	a, err := opts.App()
	if err != nil {
		return err
	}
	res, err := a.Query.Segmentation(ctx, opts.Selection, opts.Query)
	if err != nil {
		return err
	}
	if opts.Format == render.JSON {
		return render.WriteJSON(opts.IO.Out, res)
	}
	if opts.Format == render.Table {
		opts.IO.Notef("%s, %s to %s by %s: total %s", res.Event, res.FromDate, res.ToDate, res.Unit, Number(res.Total))
	}
	return render.List(opts.IO.Out, opts.Format, Rows(res), rowColumns())
}

// Row is one count of a segmentation result: the rows of table, csv,
// plain and jsonl output.
type Row struct {
	Date    string  `json:"date"`
	Segment string  `json:"segment"`
	Count   float64 `json:"count"`
}

// Rows flattens a result's series into rows sorted by date, then segment.
func Rows(res domain.SegmentationResult) []Row {
	var rows []Row
	for segment, byDate := range res.Series {
		for date, n := range byDate {
			rows = append(rows, Row{Date: date, Segment: segment, Count: n})
		}
	}
	slices.SortFunc(rows, func(a, b Row) int {
		if c := strings.Compare(a.Date, b.Date); c != 0 {
			return c
		}
		return strings.Compare(a.Segment, b.Segment)
	})
	return rows
}

// Number renders a count: integers without a decimal point, fractions
// (averages) with as many digits as needed.
func Number(n float64) string { return strconv.FormatFloat(n, 'f', -1, 64) }

func rowColumns() []render.Column[Row] {
	return []render.Column[Row]{
		{Title: "DATE", Key: "date", Value: func(r Row) string { return r.Date }},
		{Title: "SEGMENT", Key: "segment", Value: func(r Row) string { return r.Segment }},
		{Title: "COUNT", Key: "count", Value: func(r Row) string { return Number(r.Count) }, Numeric: true},
	}
}

// String describes a row (for debugging and test failures).
func (r Row) String() string { return fmt.Sprintf("%s %s %s", r.Date, r.Segment, Number(r.Count)) }
