package root

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
	"go.uber.org/zap"

	"github.com/mpdata/mp/cmd/internal/command"
	"github.com/mpdata/mp/cmd/internal/iostreams"
)

type noEnv struct{}

func (noEnv) LookupEnv(string) (string, bool) { return "", false }

// TestEveryCommandTakesFormat: -f/--format is accepted by every command a
// user can run (scripts want their errors as JSON everywhere), so that no
// command refuses it as an unknown flag.
func TestEveryCommandTakesFormat(t *testing.T) {
	ios := &iostreams.IOStreams{In: strings.NewReader(""), Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}}
	f := command.NewFactory(ios, noEnv{}, nil, zap.NewAtomicLevel(), nil)
	var walk func(path string, cmds []*cli.Command)
	leaves := 0
	walk = func(path string, cmds []*cli.Command) {
		for _, c := range cmds {
			if c.Hidden {
				continue
			}
			p := path + " " + c.Name
			if len(c.Subcommands) > 0 {
				walk(p, c.Subcommands)
				continue
			}
			leaves++
			var names []string
			for _, fl := range c.Flags {
				names = append(names, fl.Names()...)
			}
			if !slices.Contains(names, "format") || !slices.Contains(names, "f") {
				t.Errorf("`%s` does not take -f/--format", p)
			}
		}
	}
	walk("mp", New(f).Commands)
	if leaves < 20 {
		t.Fatalf("walked only %d commands", leaves)
	}
}

// TestEveryCommandHasExamples: every command and command group a user can
// run has examples, every example line runs a command that exists with
// flags that command takes (so examples cannot rot), and no example is
// left for a command that does not exist.
func TestEveryCommandHasExamples(t *testing.T) {
	ios := &iostreams.IOStreams{In: strings.NewReader(""), Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}}
	a := New(command.NewFactory(ios, noEnv{}, nil, zap.NewAtomicLevel(), nil))
	seen := map[string]bool{}
	var walk func(path string, cmds []*cli.Command)
	walk = func(path string, cmds []*cli.Command) {
		for _, c := range cmds {
			if c.Hidden {
				continue
			}
			p := strings.TrimSpace(path + " " + c.Name)
			seen[p] = true
			_, after, ok := strings.Cut(c.Description, "\nExamples:\n")
			if !ok && strings.HasPrefix(c.Description, "Examples:\n") {
				after, ok = strings.TrimPrefix(c.Description, "Examples:\n"), true
			}
			if !ok || !strings.Contains(after, "$ mp ") && !strings.Contains(after, " mp ") {
				t.Errorf("`mp %s` has no examples", p)
			}
			for _, line := range strings.Split(after, "\n") {
				line = strings.TrimSpace(line)
				if !strings.HasPrefix(line, "$ ") {
					continue
				}
				if err := checkExample(a, line); err != nil {
					t.Errorf("`mp %s` example %q: %v", p, line, err)
				}
			}
			walk(p, c.Subcommands)
		}
	}
	walk("", a.Commands)
	for p := range examples() {
		if !seen[p] {
			t.Errorf("examples for `mp %s`, which is no command", p)
		}
	}
}

// checkExample checks the mp command line in an example: each command
// name exists, and each flag is one the command (or mp itself, before the
// command) takes.
func checkExample(a *cli.App, line string) error {
	args, err := mpArgs(line)
	if err != nil {
		return err
	}
	flags := a.Flags
	cmds := a.Commands
	path := "mp"
	positional := false
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if strings.HasPrefix(arg, "-") && len(arg) > 1 {
			name, _, hasValue := strings.Cut(strings.TrimLeft(arg, "-"), "=")
			f := findFlag(flags, name)
			if f == nil {
				return fmt.Errorf("`%s` takes no flag %s", path, arg)
			}
			if _, isBool := f.(*cli.BoolFlag); !isBool && !hasValue {
				i++ // its value
			}
			continue
		}
		if positional {
			continue
		}
		if c := findCommand(cmds, arg); c != nil {
			path += " " + arg
			flags, cmds = c.Flags, c.Subcommands
			continue
		}
		if len(cmds) > 0 {
			return fmt.Errorf("`%s` has no command %q", path, arg)
		}
		positional = true
	}
	return nil
}

// mpArgs returns the arguments of the mp command in an example line ("$ "
// and any environment assignment, pipe, redirection or $( ) around it
// left out), split as a shell would for simple quoting.
func mpArgs(line string) ([]string, error) {
	line = strings.TrimPrefix(line, "$ ")
	if _, sub, ok := strings.Cut(line, "$(mp "); ok { // a command substitution
		sub, _, _ = strings.Cut(sub, ")")
		line = "mp " + sub
	}
	words := shellWords(line)
	start := -1
	for i, w := range words {
		if w == "mp" || strings.HasSuffix(w, "(mp") {
			start = i
			break
		}
	}
	if start < 0 {
		return nil, fmt.Errorf("no mp command in it")
	}
	var out []string
	for _, w := range words[start+1:] {
		if w == "|" || w == "&&" || w == ">" || w == "<" || w == ";" || strings.HasPrefix(w, ">") || strings.HasPrefix(w, "<") {
			break
		}
		w = strings.TrimSuffix(w, ")")
		if w == "" {
			break
		}
		out = append(out, w)
	}
	return out, nil
}

// shellWords splits s at spaces outside single or double quotes, and
// drops the quotes.
func shellWords(s string) []string {
	var out []string
	var cur strings.Builder
	var quote rune
	inWord := false
	for _, r := range s {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			cur.WriteRune(r)
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == ' ':
			if inWord {
				out = append(out, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		out = append(out, cur.String())
	}
	return out
}

func findFlag(flags []cli.Flag, name string) cli.Flag {
	for _, f := range flags {
		if slices.Contains(f.Names(), name) {
			return f
		}
	}
	return nil
}

func findCommand(cmds []*cli.Command, name string) *cli.Command {
	for _, c := range cmds {
		if c.Name == name || slices.Contains(c.Aliases, name) {
			return c
		}
	}
	return nil
}

// TestHelpShowsAnExamplesSection: --help of a command and of a group shows
// the examples in an EXAMPLES section after the description, as gh does.
func TestHelpShowsAnExamplesSection(t *testing.T) {
	for _, args := range [][]string{{"mp", "account", "add", "--help"}, {"mp", "project", "--help"}, {"mp", "help", "target", "use"}} {
		var out bytes.Buffer
		ios := &iostreams.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &bytes.Buffer{}}
		a := New(command.NewFactory(ios, noEnv{}, nil, zap.NewAtomicLevel(), nil))
		if err := a.Run(args); err != nil {
			t.Fatalf("%q: %v", args, err)
		}
		help := out.String()
		i := strings.Index(help, "\nEXAMPLES:\n   ")
		if i < 0 || !strings.Contains(help[i:], "$ mp ") || strings.Contains(help, "Examples:") {
			t.Errorf("%q: no EXAMPLES section of its own:\n%s", args, help)
		}
		if d := strings.Index(help, "DESCRIPTION:"); d > i {
			t.Errorf("%q: EXAMPLES before DESCRIPTION:\n%s", args, help)
		}
	}
}

// TestForRunHelpReadsAsNew: every way of asking for help (flags, `mp
// help`, a bare command group, help of a subcommand asked at its parent)
// prints the same with ForRun, which builds the examples only when help
// may be printed, as with New, which always builds them.
func TestForRunHelpReadsAsNew(t *testing.T) {
	var paths [][]string
	var walk func(path []string, cmds []*cli.Command)
	walk = func(path []string, cmds []*cli.Command) {
		for _, c := range cmds {
			p := append(slices.Clone(path), c.Name)
			paths = append(paths, p)
			walk(p, c.Subcommands)
		}
	}
	walk(nil, New(quietFactory()).Commands)
	lines := [][]string{{}, {"--help"}, {"-h"}, {"help"}, {"--help", "--format", "json"}}
	for _, p := range paths {
		lines = append(lines,
			append(slices.Clone(p), "--help"), append(slices.Clone(p), "-h=true"), append(slices.Clone(p), "-help"),
			append([]string{"help"}, p...), append([]string{"-h"}, p...), append([]string{"--quiet"}, append(slices.Clone(p), "--h")...))
		if len(p) > 1 {
			lines = append(lines, append(slices.Clone(p[:len(p)-1]), append([]string{"-h"}, p[len(p)-1])...))
		}
	}
	for _, g := range New(quietFactory()).Commands {
		if len(g.Subcommands) > 0 {
			lines = append(lines, []string{g.Name}, []string{g.Name, "help"}, []string{"--debug", g.Name})
		}
	}
	run := func(args []string, forRun bool) string {
		var out, errOut bytes.Buffer
		ios := &iostreams.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}
		f := command.NewFactory(ios, noEnv{}, nil, zap.NewAtomicLevel(), nil)
		args = append([]string{"mp"}, args...)
		var a *cli.App
		if forRun {
			a, args = ForRun(f, args)
		} else {
			a = New(f)
			args = command.Normalize(a, args)
		}
		err := a.Run(args)
		return fmt.Sprintf("%s\n--- stderr:\n%s\n--- error: %v", out.String(), errOut.String(), err)
	}
	for _, args := range lines {
		want := run(args, false)
		if !strings.Contains(want, "USAGE:") && !slices.Contains(args, "__complete") { // it takes -h as a word to complete
			t.Errorf("mp %s printed no help:\n%s", strings.Join(args, " "), want)
		}
		if got := run(args, true); got != want {
			t.Errorf("mp %s: ForRun prints\n%s\nNew prints\n%s", strings.Join(args, " "), got, want)
		}
	}
	if len(lines) < 200 {
		t.Fatalf("compared only %d command lines", len(lines))
	}
}

// TestMayShowHelp: a command line that runs a leaf command without asking
// for help is known not to print help (so ForRun builds no examples);
// every other one may.
func TestMayShowHelp(t *testing.T) {
	a := New(quietFactory())
	tests := []struct {
		args []string
		want bool
	}{
		{[]string{"mp", "version"}, false},
		{[]string{"mp", "session", "--explain", "-f", "json"}, false},
		{[]string{"mp", "-a", "team", "account", "list"}, false},
		{[]string{"mp", "--format", "help", "version"}, true},
		{[]string{"mp", "account", "list", "--", "x"}, false},
		{[]string{"mp", "__complete", "--", "mp", "help", "-h"}, false},
		{[]string{"mp", "-h", "__complete", "--", "mp"}, true},
		{[]string{"mp"}, true},
		{[]string{"mp", "--debug"}, true},
		{[]string{"mp", "account"}, true},
		{[]string{"mp", "account", "nosuch"}, true},
		{[]string{"mp", "nosuch"}, true},
		{[]string{"mp", "version", "--help"}, true},
		{[]string{"mp", "version", "-h=false"}, true},
		{[]string{"mp", "version", "--help=true"}, true},
		{[]string{"mp", "account", "list", "-help"}, true},
		{[]string{"mp", "account", "-h", "list"}, true},
		{[]string{"mp", "help", "account", "list"}, true},
		{[]string{"mp", "account", "list", "help"}, true},
		{[]string{"mp", "--", "version"}, true},
	}
	for _, tt := range tests {
		if got := command.MayShowHelp(a, tt.args); got != tt.want {
			t.Errorf("MayShowHelp(%q) = %v, want %v", tt.args, got, tt.want)
		}
	}
	// Without a way of its own to report usage errors, a command may print
	// help after one; so may one with a required flag.
	a.Commands[len(a.Commands)-1].OnUsageError = nil
	last := a.Commands[len(a.Commands)-1].Name
	if !command.MayShowHelp(a, []string{"mp", last}) {
		t.Errorf("MayShowHelp: a command without OnUsageError prints no help")
	}
	v := a.Command("version")
	v.Flags = append(v.Flags, &cli.StringFlag{Name: "must", Required: true})
	if !command.MayShowHelp(a, []string{"mp", "version"}) {
		t.Errorf("MayShowHelp: a command with a required flag prints no help")
	}
}

// quietFactory is a Factory over empty streams, for looking at the tree.
func quietFactory() *command.Factory {
	ios := &iostreams.IOStreams{In: strings.NewReader(""), Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}}
	return command.NewFactory(ios, noEnv{}, nil, zap.NewAtomicLevel(), nil)
}

// TestTopCommands: the name topCommands gives each command is the name its
// constructor gives it (ForRun finds the command to build by it), and New
// holds them all.
func TestTopCommands(t *testing.T) {
	f := quietFactory()
	a := New(f)
	tops := topCommands()
	if len(tops) != len(a.Commands) {
		t.Fatalf("%d top commands, New has %d", len(tops), len(a.Commands))
	}
	for i, top := range tops {
		c := top.build(f)
		if c.Name != top.name || len(c.Aliases) > 0 || a.Commands[i].Name != top.name {
			t.Errorf("top command %q builds %q (aliases %q); New has %q there", top.name, c.Name, c.Aliases, a.Commands[i].Name)
		}
	}
}

// TestForRunBuildsWhatTheRunNeeds: a leaf command run without help gets an
// App of its top-level command alone, without examples; help, a group,
// completion and an unknown command get the whole tree.
func TestForRunBuildsWhatTheRunNeeds(t *testing.T) {
	all := len(topCommands())
	tests := []struct {
		args     []string
		commands int
		examples bool
	}{
		{[]string{"mp", "version"}, 1, false},
		{[]string{"mp", "--format", "json", "account", "list"}, 1, false},
		{[]string{"mp", "-a", "team", "session", "--explain"}, 1, false},
		{[]string{"mp", "account", "list", "--help"}, all, true},
		{[]string{"mp", "account"}, all, true},
		{[]string{"mp", "-f", "version"}, all, true},
		{[]string{"mp", "__complete", "--", "mp", "acc"}, all, false},
		{[]string{"mp", "nosuch"}, all, true},
		{[]string{"mp", "--", "version"}, all, true},
		{[]string{"mp"}, all, true},
	}
	for _, tt := range tests {
		a, _ := ForRun(quietFactory(), tt.args)
		if len(a.Commands) != tt.commands {
			t.Errorf("ForRun(%q) built %d top commands, want %d", tt.args, len(a.Commands), tt.commands)
		}
		examples := strings.Contains(a.Commands[0].Description, "Examples:")
		if examples != tt.examples {
			t.Errorf("ForRun(%q): examples built %v, want %v", tt.args, examples, tt.examples)
		}
	}
}
