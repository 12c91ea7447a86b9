package command

import (
	"fmt"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/mpdata/mp/cmd/internal/render"
	"github.com/mpdata/mp/domain"
)

// Names of the global flags.
const (
	FlagAccount   = "account"
	FlagProject   = "project"
	FlagWorkspace = "workspace"
	FlagTarget    = "target"
	FlagFormat    = "format"
	FlagDebug     = "debug"
	FlagQuiet     = "quiet"
)

// globalCategory groups the global flags in help output.
const globalCategory = "Global"

// Axes is a set of selection flags (--account, --project, --workspace,
// --target) a command honours.
type Axes uint8

// The selection axes.
const (
	AxisAccount Axes = 1 << iota
	AxisProject
	AxisWorkspace
	AxisTarget

	// NoAxes: the command uses no selection.
	NoAxes Axes = 0
	// AllAxes: the command resolves the whole session.
	AllAxes = AxisAccount | AxisProject | AxisWorkspace | AxisTarget
	// AccountAxes: the command resolves the account only.
	AccountAxes = AxisAccount | AxisTarget
)

// axisFlag describes one selection flag.
type axisFlag struct {
	axis  Axes
	name  string
	alias string
	usage string
}

func axisFlags() []axisFlag {
	return []axisFlag{
		{AxisAccount, FlagAccount, "a", "account to use (default: $MP_ACCOUNT, else the active account)"},
		{AxisProject, FlagProject, "p", "project id to use (MP_PROJECT_ID, when set, takes precedence)"},
		{AxisWorkspace, FlagWorkspace, "w", "workspace id to use (MP_WORKSPACE_ID, when set, takes precedence)"},
		{AxisTarget, FlagTarget, "t", "saved target to use (default: $MP_TARGET); excludes --account, --project, --workspace"},
	}
}

// Has reports whether a includes every axis of b.
func (a Axes) Has(b Axes) bool { return a&b == b }

// RootFlags returns the global flags of the app level (before the
// subcommand): every selection flag, --format, --debug and --quiet.
func RootFlags() []cli.Flag {
	return append(selectionFlags(AllAxes, ""), outputFlags("")...)
}

// SelectionFlags returns fresh definitions of the selection flags in axes,
// for a command that honours them. The flags are strings: values are
// validated by domain parsers so errors name the flag. MP_ACCOUNT and
// MP_TARGET are not bound here: the resolver reads the environment itself.
func SelectionFlags(axes Axes) []cli.Flag { return selectionFlags(axes, globalCategory) }

func selectionFlags(axes Axes, category string) []cli.Flag {
	var out []cli.Flag
	for _, af := range axisFlags() {
		if axes.Has(af.axis) {
			out = append(out, &cli.StringFlag{
				Name: af.name, Aliases: []string{af.alias}, Usage: af.usage, Category: category,
			})
		}
	}
	return out
}

// OutputFlags returns fresh definitions of --format, --debug and --quiet.
func OutputFlags() []cli.Flag { return outputFlags(globalCategory) }

// OutputFlagsDefault is OutputFlags for a command whose default format is
// def rather than table (help shows def as the default).
func OutputFlagsDefault(def render.Format) []cli.Flag {
	flags := outputFlags(globalCategory)
	flags[0].(*cli.StringFlag).Value = string(def)
	return flags
}

func outputFlags(category string) []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{
			Name: FlagFormat, Aliases: []string{"f"}, Value: string(render.Table), Category: category,
			Usage: "output format: table, json, jsonl, csv or plain",
		},
		&cli.BoolFlag{Name: FlagDebug, Usage: "write debug logs to stderr (secrets are never logged)", Category: category},
		&cli.BoolFlag{Name: FlagQuiet, Usage: "suppress notes on stderr", Category: category},
	}
}

// LeafFlags returns the global flags of a command that honours axes,
// followed by its own flags.
func LeafFlags(axes Axes, own ...cli.Flag) []cli.Flag {
	flags := append(SelectionFlags(axes), OutputFlags()...)
	return append(own, flags...)
}

// LeafFlagsDefault is LeafFlags for a command whose default output format
// is def (read its globals with ReadGlobalsDefault).
func LeafFlagsDefault(axes Axes, def render.Format, own ...cli.Flag) []cli.Flag {
	flags := append(SelectionFlags(axes), OutputFlagsDefault(def)...)
	return append(own, flags...)
}

// LeafFlagsRaw is LeafFlags for a command whose output is raw (a response
// body, a completion script): its own flags, the selection flags of axes
// and the output flags. Its --format decides how errors are reported (a
// JSON error object on stdout with json or jsonl, as for every command),
// and whatever else the command says it does with it.
func LeafFlagsRaw(axes Axes, own ...cli.Flag) []cli.Flag {
	return append(own, append(SelectionFlags(axes), OutputFlags()...)...)
}

// Globals are the global flag values of one run.
type Globals struct {
	// Selection holds the selection flags given on the command line (never
	// environment defaults).
	Selection domain.Selection
	// Format is the output format.
	Format render.Format
	// Debug is --debug.
	Debug bool
	// Quiet is --quiet.
	Quiet bool
}

// ReadGlobals reads the global flags from whichever level of the command
// line set them (the subcommand's own value wins over one given before
// it), records the output settings in f, and validates the values. A
// selection flag the command does not honour is a usage error: mp never
// ignores a flag silently.
func (f *Factory) ReadGlobals(c *cli.Context, honoured Axes) (Globals, error) {
	return f.ReadGlobalsDefault(c, honoured, render.Table)
}

// ReadGlobalsDefault is ReadGlobals for a command whose output format,
// when --format is not given, is def (`mp account test` prints JSON by
// default). Errors of the run are then reported in def as well.
func (f *Factory) ReadGlobalsDefault(c *cli.Context, honoured Axes, def render.Format) (Globals, error) {
	var g Globals
	g.Debug = boolFlag(c, FlagDebug)
	g.Quiet = boolFlag(c, FlagQuiet)
	g.Format = def
	f.SetOutput(g.Format, g.Debug, g.Quiet)
	if v, ok := lookup(c, true, FlagFormat, "f"); ok {
		format, err := render.ParseFormat(v)
		if err != nil {
			return g, err
		}
		g.Format = format
		f.SetOutput(g.Format, g.Debug, g.Quiet)
	}
	for _, af := range axisFlags() {
		v, ok := lookup(c, honoured.Has(af.axis), af.name, af.alias)
		if !ok {
			continue
		}
		if !honoured.Has(af.axis) {
			return g, notHonoured(c, af.name)
		}
		if err := setAxis(&g.Selection, af, v); err != nil {
			return g, err
		}
	}
	return g, nil
}

// setAxis parses one selection value into sel; errors name the flag.
func setAxis(sel *domain.Selection, af axisFlag, v string) error {
	var err error
	switch af.axis {
	case AxisAccount:
		sel.Account, err = domain.ParseAccountName(v)
	case AxisProject:
		sel.Project, err = domain.ParseProjectID(v)
	case AxisWorkspace:
		sel.Workspace, err = domain.ParseWorkspaceID(v)
	case AxisTarget:
		sel.Target, err = domain.ParseTargetName(v)
	}
	if err != nil {
		return FlagError("--"+af.name, err)
	}
	return nil
}

// FlagError returns err (an invalid value) prefixed with the flag that
// carried it, as an INVALID_ARGUMENT error.
func FlagError(flag string, err error) error {
	e := &domain.Error{
		Code:    domain.CodeInvalidArgument,
		Message: "flag " + flag + ": " + messageOf(err),
		Details: map[string]any{"flag": flag},
	}
	var de *domain.Error
	if asDomain(err, &de) {
		e.Hint = de.Hint
		for k, v := range de.Details {
			if k != "flag" && k != "field" {
				e.Details[k] = v
			}
		}
	}
	return e
}

func notHonoured(c *cli.Context, name string) error {
	path := CommandPath(c)
	e := domain.NewError(domain.CodeInvalidArgument, "global flag --%s does not apply to `%s`", name, path).
		WithDetail("flag", "--"+name).
		WithDetail("command", path)
	if hasOwnFlag(c, name) {
		return e.WithHint("put --%s after `%s` to set this command's own --%s option", name, path, name)
	}
	return e.WithHint("remove --%s; `%s` does not use it (see `%s --help`)", name, path, path)
}

// hasOwnFlag reports whether the command of c defines a flag named name.
func hasOwnFlag(c *cli.Context, name string) bool {
	if c.Command == nil {
		return false
	}
	for _, fl := range c.Command.Flags {
		if slices.Contains(fl.Names(), name) {
			return true
		}
	}
	return false
}

// lookup returns the value of the flag named by names from the innermost
// context that set it on the command line. With leaf false the command's
// own context is skipped (its flag of that name, if any, is its own
// option, not the global one).
func lookup(c *cli.Context, leaf bool, names ...string) (string, bool) {
	for i, ctx := range c.Lineage() {
		if i == 0 && !leaf {
			continue
		}
		local := ctx.LocalFlagNames()
		for _, n := range names {
			if slices.Contains(local, n) {
				return ctx.String(n), true
			}
		}
	}
	return "", false
}

// boolFlag reports whether a global boolean flag was set true at any level.
func boolFlag(c *cli.Context, name string) bool {
	for _, ctx := range c.Lineage() {
		if slices.Contains(ctx.LocalFlagNames(), name) {
			return ctx.Bool(name)
		}
	}
	return false
}

// CommandPath returns the full command name of c, e.g. "mp account list".
func CommandPath(c *cli.Context) string {
	var names []string
	for _, ctx := range c.Lineage() {
		if ctx.Command != nil && ctx.Command.Name != "" {
			names = append(names, ctx.Command.Name)
		}
	}
	slices.Reverse(names)
	if len(names) == 0 || (c.App != nil && names[0] != c.App.Name) {
		names = append([]string{"mp"}, names...)
	}
	return strings.Join(names, " ")
}

func messageOf(err error) string {
	var de *domain.Error
	if asDomain(err, &de) && de.Message != "" {
		return de.Message
	}
	return fmt.Sprint(err)
}
