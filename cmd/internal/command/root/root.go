package root

import (
	"github.com/urfave/cli/v2"

	"github.com/mpdata/mp/cmd/internal/command"
	"github.com/mpdata/mp/cmd/internal/command/account"
	"github.com/mpdata/mp/cmd/internal/command/api"
	"github.com/mpdata/mp/cmd/internal/command/completion"
	"github.com/mpdata/mp/cmd/internal/command/config"
	"github.com/mpdata/mp/cmd/internal/command/inspect"
	"github.com/mpdata/mp/cmd/internal/command/project"
	"github.com/mpdata/mp/cmd/internal/command/query"
	"github.com/mpdata/mp/cmd/internal/command/session"
	"github.com/mpdata/mp/cmd/internal/command/target"
	"github.com/mpdata/mp/cmd/internal/command/version"
	"github.com/mpdata/mp/cmd/internal/command/workspace"
)

// Usage is the one-line description of mp.
const Usage = "manage Mixpanel credentials and context (account → project → workspace)"

// New returns the mp App over f, every command with its examples (see
// examples). Output goes to f.IO; the App never exits the process
// (ExitErrHandler is a no-op) and every command-line mistake becomes an
// INVALID_ARGUMENT error.
func New(f *command.Factory) *cli.App {
	a := newApp(f)
	addExamples("", a.Commands, examples())
	return a
}

// ForRun returns the App of New over f for running the command line args
// (args[0] is the program name), with args normalized for it
// (command.Normalize). The examples only show in help, so they are added
// only when the command line may print help (command.MayShowHelp): help
// reads exactly as with New, and the commands that print none do not
// build it.
func ForRun(f *command.Factory, args []string) (*cli.App, []string) {
	a := newApp(f)
	args = command.Normalize(a, args)
	if command.MayShowHelp(a, args) {
		addExamples("", a.Commands, examples())
	}
	return a, args
}

// newApp is New without the examples.
func newApp(f *command.Factory) *cli.App {
	a := &cli.App{
		Name:            "mp",
		Usage:           Usage,
		UsageText:       "mp [global options] command [command options] [arguments...]",
		Reader:          f.IO.In,
		Writer:          f.IO.Out,
		ErrWriter:       f.IO.ErrOut,
		ExitErrHandler:  func(*cli.Context, error) {},
		HideVersion:     true,
		HideHelpCommand: true,
		Flags: append(command.RootFlags(), &cli.BoolFlag{
			Name: "version", Usage: "print the version, like `mp version`",
		}),
		Action: func(c *cli.Context) error {
			if c.Bool("version") {
				args := []string{c.App.Name, "version"}
				if c.IsSet("format") {
					args = append(args, "--format", c.String("format"))
				}
				return c.App.RunContext(c.Context, args)
			}
			return command.UnknownCommand(c)
		},
		OnUsageError: command.OnUsageError,
		Commands: []*cli.Command{
			account.NewCmdSetupLogin(f, nil),
			account.NewCmd(f),
			target.NewCmd(f),
			project.NewCmd(f),
			workspace.NewCmd(f),
			session.NewCmd(f, nil),
			query.NewCmd(f),
			inspect.NewCmd(f),
			api.NewCmd(f, nil),
			config.NewCmd(f),
			version.NewCmd(f, nil),
			completion.NewCmd(f), completion.NewCmdComplete(f),
		},
	}
	setUsageErrors(a.Commands)
	return a
}

func setUsageErrors(cmds []*cli.Command) {
	for _, c := range cmds {
		c.OnUsageError = command.OnUsageError
		c.HideHelpCommand = true
		setUsageErrors(c.Subcommands)
	}
}
