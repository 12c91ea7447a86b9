package command

import (
	"sync"

	"go.uber.org/zap"

	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/cmd/internal/iostreams"
	"github.com/mpdata/mp/cmd/internal/render"
	"github.com/mpdata/mp/ports"
)

// AppBuilder builds the app for one run with the given logger.
type AppBuilder func(log *zap.Logger) (*app.App, error)

// Factory is what commands get from the composition root: the streams, the
// environment, the logger, and the app built on first use. One Factory
// serves one run; it also records the output settings the run chose, so
// errors can be reported in the same format.
type Factory struct {
	// IO are the streams of the run.
	IO *iostreams.IOStreams
	// Env is the process environment (read for MP_SECRET and the like).
	Env ports.Env
	// Log is the logger; its level follows Level.
	Log *zap.Logger
	// Level is the logger's level: warn by default, debug with --debug.
	Level zap.AtomicLevel

	build AppBuilder

	once   sync.Once
	app    *app.App
	appErr error

	format render.Format
	debug  bool
}

// NewFactory returns a Factory. build is called at most once, on the first
// call to App.
func NewFactory(ios *iostreams.IOStreams, env ports.Env, log *zap.Logger, level zap.AtomicLevel, build AppBuilder) *Factory {
	if log == nil {
		log = zap.NewNop()
	}
	return &Factory{IO: ios, Env: env, Log: log, Level: level, build: build, format: render.Table}
}

// App returns the app, building it on first use.
func (f *Factory) App() (*app.App, error) {
	f.once.Do(func() {
		f.app, f.appErr = f.build(f.Log)
	})
	return f.app, f.appErr
}

// Format is the output format the run chose (table until the global flags
// were read).
func (f *Factory) Format() render.Format { return f.format }

// Debug reports whether --debug was given.
func (f *Factory) Debug() bool { return f.debug }

// SetOutput records the output settings of the run: format, debug and
// quiet. Debug raises the log level.
func (f *Factory) SetOutput(format render.Format, debug, quiet bool) {
	f.format, f.debug = format, debug
	f.IO.SetQuiet(quiet)
	if debug {
		f.Level.SetLevel(zap.DebugLevel)
	}
}
