package commandtest

import (
	"bytes"
	"context"

	"github.com/urfave/cli/v2"
	"go.uber.org/zap"

	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/cmd/internal/command"
	"github.com/mpdata/mp/cmd/internal/iostreams"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports/inmem"
)

// Env is a test environment.
type Env struct {
	// Factory serves the commands.
	Factory *command.Factory
	// IO are the buffered streams; Stdin, Stdout and Stderr their buffers.
	IO     *iostreams.IOStreams
	Stdin  *bytes.Buffer
	Stdout *bytes.Buffer
	Stderr *bytes.Buffer
	// Store holds the config.
	Store *inmem.ConfigStore
	// Storage records removed account data.
	Storage *inmem.AccountStorage
}

// New returns a test environment over cfg and the environment variables
// env.
func New(cfg domain.Config, env map[string]string) *Env {
	if env == nil {
		env = map[string]string{}
	}
	ios, in, out, errOut := iostreams.Test()
	e := &Env{
		IO: ios, Stdin: in, Stdout: out, Stderr: errOut,
		Store: inmem.NewConfigStore(cfg), Storage: inmem.NewAccountStorage(),
	}
	osEnv := inmem.Env(env)
	e.Factory = command.NewFactory(ios, osEnv, zap.NewNop(), zap.NewAtomicLevel(), func(log *zap.Logger) (*app.App, error) {
		return app.New(app.Deps{Config: e.Store, Storage: e.Storage, Env: osEnv, Log: log}), nil
	})
	return e
}

// Run runs cmds under an app named mp with the root's global flags; args
// exclude the program name and are normalized as in the real program.
func Run(f *command.Factory, cmds []*cli.Command, args ...string) error {
	a := &cli.App{
		Name:           "mp",
		Reader:         f.IO.In,
		Writer:         f.IO.Out,
		ErrWriter:      f.IO.ErrOut,
		ExitErrHandler: func(*cli.Context, error) {},
		HideVersion:    true,
		Flags:          command.RootFlags(),
		Action:         command.UnknownCommand,
		OnUsageError:   command.OnUsageError,
		Commands:       cmds,
	}
	var set func([]*cli.Command)
	set = func(cs []*cli.Command) {
		for _, c := range cs {
			c.OnUsageError = command.OnUsageError
			set(c.Subcommands)
		}
	}
	set(cmds)
	return a.RunContext(context.Background(), command.Normalize(a, append([]string{"mp"}, args...)))
}

// Group wraps leaf commands in a command group named name.
func Group(name string, leaves ...*cli.Command) *cli.Command {
	return &cli.Command{Name: name, Action: command.UnknownCommand, Subcommands: leaves}
}
