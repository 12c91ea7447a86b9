package root

import (
	"time"

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
	buildinfo "github.com/mpdata/mp/internal/version"
)

// Usage is the one-line description of mp.
const Usage = "manage Mixpanel credentials and context (account → project → workspace)"

// New returns the mp App over f, every command with its examples (see
// examples). Output goes to f.IO; the App never exits the process
// (ExitErrHandler is a no-op) and every command-line mistake becomes an
// INVALID_ARGUMENT error.
func New(f *command.Factory) *cli.App {
	a := newApp(f, allCommands(f))
	addExamples("", a.Commands, examples())
	return a
}

// ForRun returns an App that runs the command line args (args[0] is the
// program name) as New's does, with args normalized for it
// (command.Normalize), building only what the run needs:
//
//   - The examples only show in help, so they are added only when the
//     command line may print help (command.MayShowHelp); help reads
//     exactly as with New.
//   - A command line that runs a leaf command without help (`mp version`,
//     `mp account list`) gets an App holding only the top-level command
//     it names: no other command is built, nor set up by urfave/cli. Only
//     help, command groups and completion look at the rest of the tree,
//     and those get the whole of it.
func ForRun(f *command.Factory, args []string) (*cli.App, []string) {
	if top := namedCommand(f, args); top != nil {
		a := newApp(f, []*cli.Command{top})
		if run := command.Normalize(a, args); !command.MayShowHelp(a, run) {
			return a, run
		}
	}
	a := newApp(f, allCommands(f))
	args = command.Normalize(a, args)
	if command.MayShowHelp(a, args) {
		addExamples("", a.Commands, examples())
	}
	return a, args
}

// topCommand is a top-level command of mp: its name (the Name build
// gives it) and its constructor.
type topCommand struct {
	name  string
	build func(*command.Factory) *cli.Command
	// wholeTree: the command reads the whole command tree when it runs.
	wholeTree bool
}

// topCommands are the top-level commands of mp, in the order help lists
// them.
func topCommands() []topCommand {
	return []topCommand{
		{name: "login", build: func(f *command.Factory) *cli.Command { return account.NewCmdSetupLogin(f, nil) }},
		{name: "account", build: account.NewCmd},
		{name: "target", build: target.NewCmd},
		{name: "project", build: project.NewCmd},
		{name: "workspace", build: workspace.NewCmd},
		{name: "session", build: func(f *command.Factory) *cli.Command { return session.NewCmd(f, nil) }},
		{name: "query", build: query.NewCmd},
		{name: "inspect", build: inspect.NewCmd},
		{name: "api", build: func(f *command.Factory) *cli.Command { return api.NewCmd(f, nil) }},
		{name: "config", build: config.NewCmd},
		{name: "version", build: func(f *command.Factory) *cli.Command { return version.NewCmd(f, nil) }},
		{name: "completion", build: completion.NewCmd},
		{name: completion.CompleteCommand, build: completion.NewCmdComplete, wholeTree: true},
	}
}

// allCommands builds every top-level command.
func allCommands(f *command.Factory) []*cli.Command {
	tops := topCommands()
	cmds := make([]*cli.Command, len(tops))
	for i, t := range tops {
		cmds[i] = t.build(f)
	}
	return cmds
}

// namedCommand builds the top-level command the command line args names,
// if any (nil for one that reads the whole tree).
func namedCommand(f *command.Factory, args []string) *cli.Command {
	name := command.FirstCommand(rootFlags(), args)
	for _, t := range topCommands() {
		if t.name == name && !t.wholeTree {
			return t.build(f)
		}
	}
	return nil
}

// rootFlags are the flags of mp itself: the global flags and --version.
func rootFlags() []cli.Flag {
	return append(command.RootFlags(), &cli.BoolFlag{
		Name: "version", Usage: "print the version, like `mp version`",
	})
}

// compiled is the build date stamped into the binary (the commit time),
// or the Unix epoch when none was.
func compiled() time.Time {
	if t, err := time.Parse(time.RFC3339, buildinfo.Date); err == nil {
		return t
	}
	return time.Unix(0, 0).UTC()
}

// newApp returns the App over f with the top-level commands cmds.
func newApp(f *command.Factory, cmds []*cli.Command) *cli.App {
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
		Flags:           rootFlags(),
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
		Commands:     cmds,
		// No help template (urfave/cli's or mp's) shows Compiled; set,
		// it spares App.Setup an os.Stat of the executable.
		Compiled: compiled(),
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
