package command

import (
	"errors"
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/mpdata/mp/domain"
)

func asDomain(err error, target **domain.Error) bool { return errors.As(err, target) }

// OnUsageError converts a flag-parsing error of urfave/cli into an
// INVALID_ARGUMENT error (exit code 3) with a hint. It is installed on the
// app and on every command.
func OnUsageError(c *cli.Context, err error, _ bool) error {
	path := CommandPath(c)
	msg := err.Error()
	e := &domain.Error{Code: domain.CodeInvalidArgument, Err: err, Details: map[string]any{"command": path}}
	const undefined = "flag provided but not defined: -"
	const needsArg = "flag needs an argument: -"
	switch {
	case strings.HasPrefix(msg, undefined):
		name := strings.TrimPrefix(msg, undefined)
		flag := dashed(name)
		e.Message = fmt.Sprintf("unknown flag %s for `%s`", flag, path)
		e.Details["flag"] = flag
		e.Hint = unknownFlagHint(name, path)
		if long, ok := globalFlag(strings.TrimLeft(name, "-")); ok {
			// A global flag this command does not take: say so, rather
			// than "unknown".
			as := "--" + long
			if flag != as {
				as = flag + " (--" + long + ")"
			}
			e.Message = fmt.Sprintf("global flag %s does not apply to `%s`", as, path)
			e.Details["flag"] = "--" + long
			e.Hint = fmt.Sprintf("remove %s; `%s` does not use it (see `%s --help`)", flag, path, path)
			break
		}
		if sugg := domain.Suggest(strings.TrimLeft(name, "-"), flagNames(c)); sugg != "" && len(strings.TrimLeft(name, "-")) > 1 {
			e.Details["suggestion"] = dashed(sugg)
			e.Hint = fmt.Sprintf("did you mean %s? (`%s --help` lists the flags)", dashed(sugg), path)
		}
	case strings.HasPrefix(msg, needsArg):
		flag := dashed(strings.TrimPrefix(msg, needsArg))
		e.Message = fmt.Sprintf("flag %s needs a value", flag)
		e.Details["flag"] = flag
		e.Hint = fmt.Sprintf("run `%s --help` for usage", path)
	default:
		e.Message = msg
		e.Hint = fmt.Sprintf("run `%s --help` for usage", path)
	}
	e.Err = nil // the message already says everything the parser said
	return e
}

// globalFlag returns the long name of the global flag that name (a long
// name or a one-letter alias) names, if it is one: the selection flags and
// the output flags.
func globalFlag(name string) (string, bool) {
	for _, af := range axisFlags() {
		if name == af.name || name == af.alias {
			return af.name, true
		}
	}
	switch name {
	case FlagFormat, "f":
		return FlagFormat, true
	case FlagDebug, FlagQuiet:
		return name, true
	}
	return "", false
}

// flagNames returns the names of the flags the command c runs takes.
func flagNames(c *cli.Context) []string {
	flags := c.App.Flags
	if c.Command != nil && len(c.Command.Flags) > 0 {
		flags = c.Command.Flags
	}
	var out []string
	for _, f := range flags {
		out = append(out, f.Names()...)
	}
	return out
}

// dashed renders a flag name as typed: -x for one letter, --name otherwise.
func dashed(name string) string {
	name = strings.TrimLeft(name, "-")
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

func unknownFlagHint(name, path string) string {
	switch strings.TrimLeft(name, "-") {
	case "secret", "password":
		return "secrets are never accepted as flag values: pipe the secret to --secret-stdin, set MP_SECRET, or omit it to be prompted on a terminal"
	case "token":
		return "tokens are never accepted as flag values: pass --token-env VAR (the variable is read at request time) or pipe the token to --token-stdin"
	}
	return fmt.Sprintf("run `%s --help` to see the flags", path)
}

// UnknownCommand is the action of the app and of command groups: without
// arguments it shows help; with one it is a usage error naming the unknown
// command.
func UnknownCommand(c *cli.Context) error {
	if !c.Args().Present() {
		if isRoot(c) {
			return cli.ShowAppHelp(c)
		}
		return cli.ShowSubcommandHelp(c)
	}
	path := CommandPath(c)
	typed := c.Args().First()
	if typed == "help" {
		// `mp help [COMMAND…]` is `mp [COMMAND…] --help`; output flags
		// given with it (--format json, --quiet) change nothing of help.
		return showHelpFor(c, withoutFlags(c.Args().Tail()))
	}
	e := domain.NewError(domain.CodeInvalidArgument, "unknown command %q for `%s`", typed, path).
		WithDetail("command", path)
	if s := domain.Suggest(typed, commandNames(c)); s != "" {
		return e.WithDetail("suggestion", s).WithHint("did you mean `%s %s`? (`%s --help` lists the commands)", path, s, path)
	}
	return e.WithHint("run `%s --help` to see the commands", path)
}

// withoutFlags drops the flags from the words after `mp help` (and the
// value of --format/-f given as a separate word).
func withoutFlags(words []string) []string {
	var out []string
	for i := 0; i < len(words); i++ {
		w := words[i]
		if !strings.HasPrefix(w, "-") {
			out = append(out, w)
			continue
		}
		if name := strings.TrimLeft(w, "-"); (name == FlagFormat || name == "f") && i+1 < len(words) {
			i++
		}
	}
	return out
}

// commandNames returns the visible subcommand names (and aliases) of the
// command c runs, or of the app at the root.
func commandNames(c *cli.Context) []string {
	cmds := c.App.Commands
	if !isRoot(c) && c.Command != nil {
		cmds = c.Command.Subcommands
	}
	var out []string
	for _, cmd := range cmds {
		if !cmd.Hidden {
			out = append(out, cmd.Names()...)
		}
	}
	return out
}

// showHelpFor shows the help of the command path under c (`mp help account
// add` shows `mp account add --help`); an unknown name is an unknown
// command.
func showHelpFor(c *cli.Context, path []string) error {
	cmds := c.App.Commands
	if !isRoot(c) && c.Command != nil {
		cmds = c.Command.Subcommands
	}
	if len(path) == 0 {
		if isRoot(c) {
			return cli.ShowAppHelp(c)
		}
		return cli.ShowSubcommandHelp(c)
	}
	args := append([]string{c.App.Name}, path...)
	for _, name := range path {
		var found *cli.Command
		for _, cmd := range cmds {
			if cmd.HasName(name) {
				found = cmd
			}
		}
		if found == nil {
			e := domain.NewError(domain.CodeInvalidArgument, "unknown command %q: no help for it", name)
			var names []string
			for _, cmd := range cmds {
				if !cmd.Hidden {
					names = append(names, cmd.Names()...)
				}
			}
			if s := domain.Suggest(name, names); s != "" {
				return e.WithHint("did you mean %q? (`mp help` lists the commands)", s)
			}
			return e.WithHint("run `mp help` to see the commands")
		}
		cmds = found.Subcommands
	}
	return c.App.RunContext(c.Context, append(args, "--help"))
}

// Args checks the positional arguments of c: at least min and at most
// max (max < 0: no limit). usage names them, e.g. "NAME" or "[NAME]".
func Args(c *cli.Context, minArgs, maxArgs int, usage string) ([]string, error) {
	args := c.Args().Slice()
	path := CommandPath(c)
	switch {
	case len(args) < minArgs:
		return nil, domain.NewError(domain.CodeInvalidArgument, "`%s` needs %s", path, usage).
			WithDetail("command", path).
			WithHint("usage: %s %s", path, usage)
	case maxArgs >= 0 && len(args) > maxArgs:
		// The surplus arguments are not echoed: a secret typed where it
		// does not belong (`mp account add team s3cr3t`) must not be printed.
		e := domain.NewError(domain.CodeInvalidArgument, "`%s` takes %s, got %d arguments", path, takes(maxArgs, usage), len(args)).
			WithDetail("command", path)
		if maxArgs == 0 {
			return nil, e.WithHint("usage: %s", path)
		}
		return nil, e.WithHint("usage: %s %s", path, usage)
	}
	return args, nil
}

func takes(maxArgs int, usage string) string {
	if maxArgs == 0 {
		return "no arguments"
	}
	return usage
}

// Usagef returns an INVALID_ARGUMENT error (exit code 3) with a hint.
func Usagef(hint, format string, args ...any) error {
	e := domain.NewError(domain.CodeInvalidArgument, format, args...)
	if hint != "" {
		e.Hint = hint
	}
	return e
}

// isRoot reports whether c is the app-level context.
func isRoot(c *cli.Context) bool {
	lineage := c.Lineage()
	return len(lineage) < 2 || lineage[1].App == nil
}
