package cli

import (
	"context"
	"errors"
	"os"
	"os/signal"
	"syscall"

	"go.uber.org/zap"

	"github.com/mpdata/mp/adapters/envsource"
	"github.com/mpdata/mp/adapters/keychain"
	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/cmd/internal/command"
	"github.com/mpdata/mp/cmd/internal/command/root"
	"github.com/mpdata/mp/cmd/internal/exitcode"
	"github.com/mpdata/mp/cmd/internal/iostreams"
	"github.com/mpdata/mp/cmd/internal/render"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/internal/version"
	"github.com/mpdata/mp/internal/wiring"
	"github.com/mpdata/mp/ports"
)

// Main runs mp with the process's arguments, streams and environment and
// returns the exit code. SIGINT and SIGTERM cancel the run (exit code 130).
func Main() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	env := envsource.OS{}
	return Run(ctx, os.Args, iostreams.System(), env, FileBackend(env, os.UserHomeDir))
}

// FileBackend returns the AppBuilder of the real program: the app
// internal/wiring builds (wiring.Build, the library's entry point too) over
// the settings resolved from the environment and the home directory.
func FileBackend(env ports.Env, homeDir func() (string, error)) command.AppBuilder {
	return func(log *zap.Logger) (*app.App, error) {
		home, err := homeDir()
		if err != nil || home == "" {
			e := domain.NewError(domain.CodeConfigError, "cannot determine the home directory, which holds ~/.mp").
				WithHint("set HOME to your home directory")
			if err != nil {
				e = e.WithCause(err)
			}
			return nil, e
		}
		s := wiring.Resolve(env, home)
		s.UserAgent = wiring.NewUserAgent(version.Get().Version, "cli")
		s.Log = log
		s.Keychain = func() ports.SecretStore { return keychain.New(keychain.Options{}) }
		return wiring.Build(s)
	}
}

// Run runs mp with args (args[0] is the program name) over ios and env,
// building the app with build on first use, and returns the exit code.
// When ctx is cancelled (an interrupt) a failing run exits with 130.
func Run(ctx context.Context, args []string, ios *iostreams.IOStreams, env ports.Env, build command.AppBuilder) int {
	level := zap.NewAtomicLevelAt(zap.WarnLevel)
	log := NewLogger(ios, level)
	defer func() { _ = log.Sync() }()

	f := command.NewFactory(ios, env, log, level, build)
	a, runArgs := root.ForRun(f, args)
	ios.DecideColor(env)
	// A spinner while Mixpanel is slow and a line per retry, on a terminal,
	// for human output only (not JSON, not with --debug or --quiet).
	ctx = ports.WithProgress(ctx, ios.Progress(func() bool { return f.Format() == render.Table && !f.Debug() }))
	err := a.RunContext(ctx, runArgs)
	if err == nil {
		return exitcode.OK
	}
	if ctx.Err() != nil {
		err = interrupted(err)
	}
	report(ios, outputOf(f, args), err)
	if isInterrupted(err) {
		return exitcode.Interrupted
	}
	return exitcode.ForError(err)
}

// interruptedError marks a run cut short by a signal.
type interruptedError struct{ err error }

func (e *interruptedError) Error() string { return "interrupted" }
func (e *interruptedError) Unwrap() error { return e.err }

func interrupted(err error) error { return &interruptedError{err: err} }

func isInterrupted(err error) bool {
	var ie *interruptedError
	return errors.As(err, &ie)
}
