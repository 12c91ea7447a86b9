package completion

import (
	"context"
	"embed"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"
	"go.uber.org/zap"

	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/cmd/internal/command"
	"github.com/mpdata/mp/domain"
)

// CompleteCommand is the name of the hidden command the scripts call.
const CompleteCommand = "__complete"

//go:embed scripts
var scripts embed.FS

// Shells returns the shells `mp completion` writes a script for.
func Shells() []string { return []string{"bash", "zsh", "fish"} }

// Script returns the completion script for shell, or false for a shell
// mp has no script for.
func Script(shell string) (string, bool) {
	if !slices.Contains(Shells(), shell) {
		return "", false
	}
	b, err := scripts.ReadFile("scripts/mp." + shell)
	if err != nil {
		return "", false
	}
	return string(b), true
}

// NewCmd returns `mp completion SHELL`.
func NewCmd(f *command.Factory) *cli.Command {
	const axes = command.NoAxes
	return &cli.Command{
		Name:      "completion",
		Usage:     "Print the shell completion script for bash, zsh or fish",
		ArgsUsage: "SHELL",
		Description: "Commands, subcommands, flags, account and target names, formats and regions complete; names\n" +
			"are read from the config (never the network). Load the script in the shell's startup file:\n" +
			"bash: `source <(mp completion bash)` in ~/.bashrc;\n" +
			"zsh: `source <(mp completion zsh)` in ~/.zshrc after compinit, or save it as _mp in a directory of $fpath;\n" +
			"fish: `mp completion fish > ~/.config/fish/completions/mp.fish`.\n" +
			"The script calls `mp __complete WORDS…`, which prints one candidate per line, so mp must be on $PATH.\n" +
			"--format json only makes errors JSON: the script is printed as it is.",
		Flags: command.LeafFlagsRaw(axes),
		Action: func(c *cli.Context) error {
			// --format only shapes errors: the script is printed as it is.
			if _, err := f.ReadGlobals(c, axes); err != nil {
				return err
			}
			args, err := command.Args(c, 1, 1, "SHELL")
			if err != nil {
				return err
			}
			script, ok := Script(args[0])
			if !ok {
				return domain.NewError(domain.CodeInvalidArgument, "unknown shell %q for `mp completion`", args[0]).
					WithDetail("shell", args[0]).
					WithHint("use one of %s", strings.Join(Shells(), ", "))
			}
			_, err = io.WriteString(f.IO.Out, script)
			return err
		},
	}
}

// NewCmdComplete returns the hidden `mp __complete WORDS…`: it prints the
// candidates for the last word, one per line ("word<TAB>description"), and
// always exits 0 without writing to stderr. The scripts pass the words
// after "--", so the command-line normalizer keeps them in order; a
// leading "--" is dropped.
func NewCmdComplete(f *command.Factory) *cli.Command {
	return &cli.Command{
		Name:            CompleteCommand,
		Usage:           "Print completion candidates for the words typed so far (called by the `mp completion` scripts)",
		ArgsUsage:       "[--] WORDS...",
		Hidden:          true,
		HideHelp:        true,
		SkipFlagParsing: true,
		Action: func(c *cli.Context) error {
			// Nothing may reach the shell's terminal but candidates.
			f.IO.SetQuiet(true)
			f.Level.SetLevel(zap.FatalLevel)
			words := c.Args().Slice()
			if len(words) > 0 && words[0] == "--" {
				words = words[1:]
			}
			for _, cand := range Complete(c.Context, c.App, appNames{f: f}, words) {
				if strings.ContainsAny(cand.Word, "\n\t") {
					continue
				}
				desc := strings.Join(strings.Fields(cand.Description), " ")
				if _, err := fmt.Fprintln(f.IO.Out, Candidate{Word: cand.Word, Description: desc}.Line()); err != nil {
					return nil // a closed pipe ends completion quietly
				}
			}
			return nil
		},
	}
}

// secretStoreBridge is the AccountSummary.SecretStore of the account of
// the bridge in effect, which the config does not have.
const secretStoreBridge = "bridge"

// appNames reads account and target names from the config through the
// app; any error yields no names.
type appNames struct{ f *command.Factory }

func (n appNames) app() *app.App {
	a, err := n.f.App()
	if err != nil {
		return nil
	}
	return a
}

// Accounts returns the names of the accounts, described by type and region.
func (n appNames) Accounts(ctx context.Context) []Candidate {
	a := n.app()
	if a == nil {
		return nil
	}
	list, err := a.Accounts.List(ctx)
	if err != nil {
		return nil
	}
	out := make([]Candidate, 0, len(list))
	for _, s := range list {
		desc := s.Type + ", " + s.Region
		if s.IsActive {
			desc += ", active"
		}
		bridge := s.SecretStore == secretStoreBridge
		if bridge {
			desc += ", from the bridge"
		}
		out = append(out, Candidate{Word: s.Name, Description: desc, Bridge: bridge})
	}
	return out
}

// Targets returns the names of the targets, described by account and
// project.
func (n appNames) Targets(ctx context.Context) []Candidate {
	a := n.app()
	if a == nil {
		return nil
	}
	list, err := a.Targets.List(ctx)
	if err != nil {
		return nil
	}
	out := make([]Candidate, 0, len(list))
	for _, t := range list {
		out = append(out, Candidate{Word: t.Name, Description: fmt.Sprintf("account %s, project %s", t.Account, t.Project)})
	}
	return out
}
