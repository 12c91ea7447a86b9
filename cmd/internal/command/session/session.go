package session

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
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

// lazy is how an unset workspace is shown to humans.
const lazy = "auto-resolved on first use"

// Options are the inputs of `mp session`.
type Options struct {
	IO        *iostreams.IOStreams
	App       func() (*app.App, error)
	Format    render.Format
	Selection domain.Selection
	Explain   bool
	// Bridge asks for the bridge in effect in full (--bridge).
	Bridge bool
}

// NewCmd returns `mp session [--bridge] [--explain]`.
func NewCmd(f *command.Factory, runF func(context.Context, *Options) error) *cli.Command {
	const axes = command.AllAxes
	return &cli.Command{
		Name:  "session",
		Usage: "Show the resolved account, project and workspace of this run",
		Description: "With --explain, each axis shows the source that won (env, flag, target, bridge, config), the\n" +
			"lower-priority candidates it shadowed, and saved workspaces ignored because they belong\n" +
			"to another account or project (with the reason). In csv and plain formats --explain\n" +
			"prints the provenance rows (axis, role, value, source, kind, name, reason). When an axis\n" +
			"cannot be resolved, --explain still shows the axes that resolved and a 'failed' row with\n" +
			"the error (in json: the error's details.explain), and the run fails.\n\n" +
			"Whenever a bridge file is in effect (MP_AUTH_FILE, ~/.claude/mixpanel/auth.json or\n" +
			"./mixpanel_auth.json) its path is shown; --bridge shows the bridge in full: its\n" +
			"account's name, type and region, the pinned project and workspace, and the headers\n" +
			"(never a secret). --bridge without a bridge in effect is an error.",
		Flags: command.LeafFlags(axes,
			&cli.BoolFlag{Name: "explain", Usage: "show, per axis, the winning source and the shadowed candidates"},
			&cli.BoolFlag{Name: "bridge", Usage: "show the bridge file in effect: path, account, pinned project and workspace, headers"},
		),
		Action: func(c *cli.Context) error {
			g, err := f.ReadGlobals(c, axes)
			if err != nil {
				return err
			}
			if _, err := command.Args(c, 0, 0, ""); err != nil {
				return err
			}
			opts := &Options{IO: f.IO, App: f.App, Format: g.Format, Selection: g.Selection, Explain: c.Bool("explain"), Bridge: c.Bool("bridge")}
			if runF != nil {
				return runF(c.Context, opts)
			}
			return run(c.Context, opts)
		},
	}
}

func run(ctx context.Context, opts *Options) error {
	a, err := opts.App()
	if err != nil {
		return err
	}
	show := a.Sessions.Show
	cols := columns()
	if opts.Bridge {
		show = a.Sessions.ShowBridge
		cols = append(cols, bridgeColumns()...)
	}
	v, err := show(ctx, opts.Selection, opts.Explain)
	if err != nil {
		if opts.Explain && v.Explain != nil && v.Explain.Failed != nil {
			return explainFailure(opts, *v.Explain, err)
		}
		return err
	}
	out := opts.IO.Out
	if v.Explain == nil {
		return render.Record(out, opts.Format, v, cols)
	}
	switch opts.Format {
	case render.CSV, render.Plain:
		return render.List(out, opts.Format, explainRows(*v.Explain), explainColumns())
	case render.Table:
		if err := render.Record(out, opts.Format, v, cols); err != nil {
			return err
		}
		if _, err := out.Write([]byte("\n")); err != nil {
			return err
		}
		return render.List(out, opts.Format, explainRows(*v.Explain), explainColumns())
	}
	return render.Record(out, opts.Format, v, cols)
}

// bridgeColumns are the bridge's details (--bridge), flattened.
func bridgeColumns() []render.Column[app.SessionView] {
	type col = render.Column[app.SessionView]
	acct := func(f func(*app.BridgeAccountView) string) func(app.SessionView) string {
		return func(v app.SessionView) string {
			if v.Bridge == nil || v.Bridge.Account == nil {
				return ""
			}
			return f(v.Bridge.Account)
		}
	}
	return []col{
		{Title: "BRIDGE ACCOUNT", Key: "bridge_account", Value: acct(func(a *app.BridgeAccountView) string { return a.Name })},
		{Title: "BRIDGE TYPE", Key: "bridge_account_type", Value: acct(func(a *app.BridgeAccountView) string { return a.Type })},
		{Title: "BRIDGE REGION", Key: "bridge_region", Value: acct(func(a *app.BridgeAccountView) string { return a.Region })},
		{Title: "BRIDGE PROJECT", Key: "bridge_project", Value: func(v app.SessionView) string {
			if v.Bridge == nil {
				return ""
			}
			return render.Optional(v.Bridge.Project)
		}},
		{Title: "BRIDGE WORKSPACE", Key: "bridge_workspace", Value: func(v app.SessionView) string {
			if v.Bridge == nil || v.Bridge.Workspace == nil {
				return ""
			}
			return strconv.FormatInt(*v.Bridge.Workspace, 10)
		}},
		{Title: "BRIDGE HEADERS", Key: "bridge_headers", Value: func(v app.SessionView) string {
			if v.Bridge == nil {
				return ""
			}
			names := slices.Sorted(maps.Keys(v.Bridge.Headers))
			parts := make([]string, 0, len(names))
			for _, n := range names {
				parts = append(parts, n+": "+v.Bridge.Headers[n])
			}
			return strings.Join(parts, "; ")
		}},
	}
}

// columns are the fields of a session, flattened.
func columns() []render.Column[app.SessionView] {
	type col = render.Column[app.SessionView]
	return []col{
		{Title: "ACCOUNT", Key: "account", Value: func(v app.SessionView) string { return v.Account.Name }},
		{Title: "TYPE", Key: "account_type", Value: func(v app.SessionView) string { return v.Account.Type }},
		{Title: "REGION", Key: "region", Value: func(v app.SessionView) string { return v.Account.Region }},
		{Title: "ACCOUNT SOURCE", Key: "account_source", Value: func(v app.SessionView) string { return v.Account.Source }},
		{Title: "PROJECT", Key: "project", Value: func(v app.SessionView) string { return v.Project.ID }},
		{Title: "PROJECT NAME", Key: "project_name", Value: func(v app.SessionView) string { return render.Optional(v.Project.Name) }},
		{Title: "PROJECT SOURCE", Key: "project_source", Value: func(v app.SessionView) string { return v.Project.Source }},
		{
			Title: "WORKSPACE", Key: "workspace",
			Value: func(v app.SessionView) string {
				if v.Workspace == nil {
					return ""
				}
				return strconv.FormatInt(v.Workspace.ID, 10)
			},
			Show: func(v app.SessionView) string {
				if v.Workspace == nil {
					return lazy
				}
				return strconv.FormatInt(v.Workspace.ID, 10)
			},
		},
		{Title: "WORKSPACE NAME", Key: "workspace_name", Value: func(v app.SessionView) string {
			if v.Workspace == nil {
				return ""
			}
			return render.Optional(v.Workspace.Name)
		}},
		{Title: "WORKSPACE SOURCE", Key: "workspace_source", Value: func(v app.SessionView) string {
			if v.Workspace == nil {
				return string(domain.SourceNone)
			}
			return v.Workspace.Source
		}},
		{Title: "USER", Key: "user", Value: func(v app.SessionView) string {
			if v.User == nil {
				return ""
			}
			return v.User.Email
		}},
		{Title: "BRIDGE", Key: "bridge", Value: func(v app.SessionView) string {
			if v.Bridge == nil {
				return ""
			}
			return v.Bridge.Path
		}},
	}
}

// explainFailure reports a resolution that failed on one axis with
// --explain: the provenance of the axes that resolved and the failure —
// as rows on stdout before the error (table, csv, plain), or in the JSON
// error's details.explain (json, jsonl). The run still fails with err.
func explainFailure(opts *Options, x app.SessionExplain, err error) error {
	switch opts.Format {
	case render.JSON, render.JSONL:
		return withExplain(err, x)
	}
	if werr := render.List(opts.IO.Out, opts.Format, explainRows(x), explainColumns()); werr != nil {
		return werr
	}
	return err
}

// withExplain puts the resolved axes of x and its failure into the
// error's details ("explain"), so that --format json reports them with
// the error.
func withExplain(err error, x app.SessionExplain) error {
	var de *domain.Error
	if !errors.As(err, &de) {
		return err
	}
	doc := map[string]any{"failed": x.Failed}
	for _, a := range resolvedAxes(x) {
		doc[a.name] = a.explain
	}
	raw, merr := json.Marshal(doc)
	if merr != nil {
		return err
	}
	out := *de
	out.Details = maps.Clone(de.Details)
	return out.WithDetail("explain", json.RawMessage(raw))
}

// namedAxis is one axis of an explanation, with its name.
type namedAxis struct {
	name    string
	explain app.AxisExplain
}

// resolvedAxes returns the axes of e that resolved, in order: all three,
// or those before e.Failed's axis.
func resolvedAxes(e app.SessionExplain) []namedAxis {
	all := []namedAxis{
		{string(domain.AxisAccount), e.Account},
		{string(domain.AxisProject), e.Project},
		{string(domain.AxisWorkspace), e.Workspace},
	}
	if e.Failed == nil {
		return all
	}
	for i, a := range all {
		if a.name == e.Failed.Axis {
			return all[:i]
		}
	}
	return all
}

// explainRow is one candidate of one axis.
type explainRow struct {
	Axis   string
	Role   string // winner, shadowed, ignored or failed
	Source app.SourceView
	Reason string // why an ignored candidate does not apply, or the failure
}

func explainRows(e app.SessionExplain) []explainRow {
	var rows []explainRow
	add := func(axis string, x app.AxisExplain) {
		rows = append(rows, explainRow{Axis: axis, Role: "winner", Source: x.Winner})
		for _, s := range x.Shadowed {
			rows = append(rows, explainRow{Axis: axis, Role: "shadowed", Source: s})
		}
		for _, s := range x.Ignored {
			rows = append(rows, explainRow{Axis: axis, Role: "ignored", Source: s.SourceView, Reason: s.Reason})
		}
	}
	for _, a := range resolvedAxes(e) {
		add(a.name, a.explain)
	}
	if f := e.Failed; f != nil {
		rows = append(rows, explainRow{Axis: f.Axis, Role: "failed", Reason: f.Message})
	}
	return rows
}

func explainColumns() []render.Column[explainRow] {
	type col = render.Column[explainRow]
	return []col{
		{Title: "AXIS", Key: "axis", Value: func(r explainRow) string { return r.Axis }},
		{Title: "ROLE", Key: "role", Value: func(r explainRow) string { return r.Role }},
		{
			Title: "VALUE", Key: "value",
			Value: func(r explainRow) string { return r.Source.Value },
			Show: func(r explainRow) string {
				if r.Source.Value == "" {
					return "-"
				}
				return r.Source.Value
			},
		},
		{Title: "SOURCE", Key: "source", Value: func(r explainRow) string { return describe(r.Source) }},
		{Title: "KIND", Key: "kind", Wide: true, Value: func(r explainRow) string { return r.Source.Kind }},
		{Title: "NAME", Key: "name", Wide: true, Value: func(r explainRow) string { return r.Source.Name }},
		{Title: "REASON", Key: "reason", Value: func(r explainRow) string { return r.Reason }},
	}
}

// describe renders a source for humans, as domain.Source.String does.
func describe(s app.SourceView) string {
	return domain.Source{Kind: domain.SourceKind(s.Kind), Name: s.Name}.String()
}
