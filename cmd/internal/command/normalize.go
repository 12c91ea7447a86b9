package command

import (
	"slices"
	"strings"

	"github.com/urfave/cli/v2"
)

// Normalize reorders a command line (args[0] is the program name) so that
// urfave/cli v2 sees every flag before the positional arguments: flags
// before the first command stay with the app; flags anywhere after it move
// behind the deepest command named, followed by the positional arguments
// (after "--" when one of them starts with "-" or the user wrote "--").
// A flag's value is kept with it when the flag takes one. Unknown flags are
// kept in place for urfave/cli to reject.
func Normalize(a *cli.App, args []string) []string {
	if len(args) <= 1 {
		return args
	}
	out := []string{args[0]}
	rest := args[1:]
	i := 0
	for i < len(rest) && isFlag(rest[i]) {
		n := span(rest[i:], a.Flags)
		out = append(out, rest[i:i+n]...)
		i += n
	}
	if i == len(rest) || rest[i] == "--" {
		return append(out, rest[i:]...)
	}
	cmd := find(a.Commands, rest[i])
	if cmd == nil {
		return append(out, rest[i:]...)
	}
	out = append(out, rest[i])
	i++
	var flags, positional []string
	dashdash := false
	for i < len(rest) {
		tok := rest[i]
		switch {
		case dashdash:
			positional = append(positional, tok)
			i++
		case tok == "--":
			dashdash = true
			i++
		case isFlag(tok):
			n := span(rest[i:], subtreeFlags(cmd))
			flags = append(flags, rest[i:i+n]...)
			i += n
		default:
			if sub := find(cmd.Subcommands, tok); sub != nil && len(positional) == 0 {
				out = append(out, tok)
				cmd = sub
			} else {
				positional = append(positional, tok)
			}
			i++
		}
	}
	out = append(out, flags...)
	if dashdash || slices.ContainsFunc(positional, func(s string) bool { return strings.HasPrefix(s, "-") }) {
		out = append(out, "--")
	}
	return append(out, positional...)
}

// FirstCommand returns the first word of the command line args (args[0]
// is the program name) after the flags of the program itself, rootFlags,
// and their values: the name of the top-level command urfave/cli runs
// when there is one. It is "" when there is no such word or "--" comes
// first.
func FirstCommand(rootFlags []cli.Flag, args []string) string {
	i := min(1, len(args))
	for i < len(args) && isFlag(args[i]) {
		i += span(args[i:], rootFlags)
	}
	if i >= len(args) || args[i] == "--" {
		return ""
	}
	return args[i]
}

func isFlag(tok string) bool { return len(tok) > 1 && tok[0] == '-' && tok != "--" }

// span returns how many tokens the flag at toks[0] occupies: 2 when it
// takes a value given as the next token, else 1.
func span(toks []string, flags []cli.Flag) int {
	name := strings.TrimLeft(toks[0], "-")
	if strings.Contains(name, "=") {
		return 1
	}
	for _, f := range flags {
		if !slices.Contains(f.Names(), name) {
			continue
		}
		if tv, ok := f.(interface{ TakesValue() bool }); ok && tv.TakesValue() && len(toks) > 1 {
			return 2
		}
		return 1
	}
	return 1
}

// subtreeFlags returns the flags of cmd and of every command below it, so
// a flag written at a group level is recognised by the leaf it belongs to.
func subtreeFlags(cmd *cli.Command) []cli.Flag {
	out := slices.Clone(cmd.Flags)
	for _, s := range cmd.Subcommands {
		out = append(out, subtreeFlags(s)...)
	}
	return out
}

func find(cmds []*cli.Command, name string) *cli.Command {
	for _, c := range cmds {
		if c.HasName(name) {
			return c
		}
	}
	return nil
}

// MayShowHelp reports whether running the App a with args (a command line
// as Normalize returns it) can print the help of some command. It errs on
// the side of yes: it is false only when the command line names a leaf
// command that has an action, no word of it is "help" or a help flag (-h,
// --help, -help, --h, with or without "=value") — words a leaf that skips
// flag parsing (`mp __complete`) takes are only its arguments —, no
// command on the way has a required flag and every command on the way
// converts usage errors itself (urfave/cli prints help after a usage error
// otherwise). Help is then never printed, so what only help shows (the
// examples) need not be built.
func MayShowHelp(a *cli.App, args []string) bool {
	if a.OnUsageError == nil || a.Action == nil || hasRequired(a.Flags) {
		return true
	}
	flags, cmds := a.Flags, a.Commands
	var cmd *cli.Command
	i := min(1, len(args))
	for {
		for i < len(args) && isFlag(args[i]) {
			i += span(args[i:], flags)
		}
		if i >= len(args) || args[i] == "--" {
			break
		}
		sub := find(cmds, args[i])
		if sub == nil {
			break
		}
		cmd, flags, cmds = sub, sub.Flags, sub.Subcommands
		if cmd.OnUsageError == nil || hasRequired(flags) {
			return true
		}
		i++
		if cmd.SkipFlagParsing && len(cmds) == 0 {
			args = args[:i] // the rest are the leaf's arguments
			break
		}
	}
	if cmd == nil || len(cmd.Subcommands) > 0 || cmd.Action == nil {
		return true
	}
	return slices.ContainsFunc(args[min(1, len(args)):], func(tok string) bool {
		return tok == "help" || isHelpFlag(tok)
	})
}

// isHelpFlag reports whether tok sets urfave/cli's help flag (-h, --help).
func isHelpFlag(tok string) bool {
	if !strings.HasPrefix(tok, "-") {
		return false
	}
	name, _, _ := strings.Cut(strings.TrimLeft(tok, "-"), "=")
	return name == "h" || name == "help"
}

// hasRequired reports whether one of flags is required (urfave/cli prints
// help when a required flag is missing).
func hasRequired(flags []cli.Flag) bool {
	return slices.ContainsFunc(flags, func(f cli.Flag) bool {
		r, ok := f.(cli.RequiredFlag)
		return ok && r.IsRequired()
	})
}
