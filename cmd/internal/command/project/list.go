package project

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

// ListOptions are the inputs of `mp project list`.
type ListOptions struct {
	IO        *iostreams.IOStreams
	App       func() (*app.App, error)
	Format    render.Format
	Selection domain.Selection
	// Refresh bypasses the /me cache.
	Refresh bool
}

// NewCmdList returns `mp project list [--refresh]`.
func NewCmdList(f *command.Factory, runF func(context.Context, *ListOptions) error) *cli.Command {
	const axes = command.AxisAccount | command.AxisProject | command.AxisTarget
	return &cli.Command{
		Name:  "list",
		Usage: "List the projects the account can see (from /me, cached for 24 h; the one in use is marked *)",
		Description: "Projects come from GET /api/app/me, sorted by name. The answer is cached per account (in\n" +
			"memory and in ~/.mp/accounts/<name>/me.json) for 24 hours; --refresh asks Mixpanel again.\n" +
			"Works with an account that has no default project.",
		Flags: command.LeafFlags(axes,
			&cli.BoolFlag{Name: "refresh", Usage: "ignore the /me cache and ask Mixpanel"},
		),
		Action: func(c *cli.Context) error {
			g, err := f.ReadGlobals(c, axes)
			if err != nil {
				return err
			}
			if _, err := command.Args(c, 0, 0, ""); err != nil {
				return err
			}
			opts := &ListOptions{IO: f.IO, App: f.App, Format: g.Format, Selection: g.Selection, Refresh: c.Bool("refresh")}
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
	projects, err := a.Projects.List(ctx, opts.Selection, opts.Refresh)
	if err != nil {
		return err
	}
	if len(projects) == 0 {
		opts.IO.Notef("The account can see no project.")
	}
	return render.List(opts.IO.Out, opts.Format, projects, listColumns())
}

// listColumns are the columns of `mp project list`: ID NAME ORG TIMEZONE
// DOMAIN ACTIVE.
func listColumns() []render.Column[app.ProjectSummary] {
	type col = render.Column[app.ProjectSummary]
	return []col{
		{Title: "ID", Key: "id", Value: func(p app.ProjectSummary) string { return p.ID }},
		{Title: "NAME", Key: "name", Value: func(p app.ProjectSummary) string { return p.Name }},
		{
			Title: "ORG", Key: "organization_id",
			Value: func(p app.ProjectSummary) string { return strconv.FormatInt(p.OrganizationID, 10) },
			// Tables name the organisation; csv and plain keep the id.
			Show: func(p app.ProjectSummary) string {
				if p.OrganizationName != "" {
					return p.OrganizationName
				}
				return strconv.FormatInt(p.OrganizationID, 10)
			},
		},
		{Title: "TIMEZONE", Key: "timezone", Value: func(p app.ProjectSummary) string { return p.Timezone }},
		{Title: "DOMAIN", Key: "domain", Value: func(p app.ProjectSummary) string { return p.Domain }},
		{
			Title: "ACTIVE", Key: "is_active",
			Value: func(p app.ProjectSummary) string { return render.Bool(p.IsActive) },
			Show:  func(p app.ProjectSummary) string { return activeMark(p.IsActive) },
		},
	}
}

func activeMark(active bool) string {
	if active {
		return "*"
	}
	return ""
}
