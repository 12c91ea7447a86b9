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
	return domain.NewError(domain.CodeInvalidArgument, "unknown command %q for `%s`", c.Args().First(), path).
		WithDetail("command", path).
		WithHint("run `%s --help` to see the commands", path)
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
