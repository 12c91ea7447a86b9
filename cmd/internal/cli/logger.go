package cli

import (
	"io"
	"strings"
	"sync"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/mpdata/mp/cmd/internal/iostreams"
)

// NewLogger returns the logger of a run, writing to stderr at level (warn
// by default, debug with --debug). At the default level a warning is
// printed the way mp prints everything else for people — a plain
// "warning: <message>: <error>" line and a "hint: …" line when the record
// carries one — and with --debug every record is a structured
// development-style log line (time, level, caller, fields).
func NewLogger(ios *iostreams.IOStreams, level zap.AtomicLevel) *zap.Logger {
	debug := &debugCore{out: zapcore.AddSync(ios.ErrOut), level: level}
	return zap.New(&runCore{level: level, debug: debug, out: ios.ErrOut, color: ios.ColorErr}, zap.AddCaller(), zap.AddStacktrace(zap.ErrorLevel))
}

// debugCore is the core of the --debug log lines, built on its first
// record: most runs write none, and need no encoder.
type debugCore struct {
	out   zapcore.WriteSyncer
	level zap.AtomicLevel
	once  sync.Once
	core  zapcore.Core
}

// with returns the core with fields added (With), building it first.
func (d *debugCore) with(fields []zapcore.Field) zapcore.Core {
	d.once.Do(func() {
		d.core = zapcore.NewCore(zapcore.NewConsoleEncoder(zap.NewDevelopmentEncoderConfig()), d.out, d.level)
	})
	if len(fields) == 0 {
		return d.core
	}
	return d.core.With(fields)
}

// runCore is the zapcore.Core of NewLogger.
type runCore struct {
	level  zap.AtomicLevel
	debug  *debugCore
	out    io.Writer
	color  func() bool     // whether stderr takes colour (decided after the logger is made)
	fields []zapcore.Field // added With, looked up for error and hint; the debug lines' context
}

func (c *runCore) Enabled(l zapcore.Level) bool { return c.level.Enabled(l) }

func (c *runCore) With(fields []zapcore.Field) zapcore.Core {
	return &runCore{
		level: c.level, debug: c.debug, out: c.out, color: c.color,
		fields: append(append([]zapcore.Field(nil), c.fields...), fields...),
	}
}

func (c *runCore) Check(ent zapcore.Entry, ce *zapcore.CheckedEntry) *zapcore.CheckedEntry {
	if c.Enabled(ent.Level) {
		return ce.AddCore(ent, c)
	}
	return ce
}

func (c *runCore) Write(ent zapcore.Entry, fields []zapcore.Field) error {
	if c.level.Level() <= zapcore.DebugLevel {
		return c.debug.with(c.fields).Write(ent, fields)
	}
	if ent.Level < zapcore.WarnLevel {
		return nil
	}
	all := append(append([]zapcore.Field(nil), c.fields...), fields...)
	var b strings.Builder
	b.WriteString(iostreams.Yellow(c.color != nil && c.color(), "warning:") + " ")
	b.WriteString(ent.Message)
	if msg := fieldText(all, "error"); msg != "" {
		b.WriteString(": ")
		b.WriteString(msg)
	}
	b.WriteString("\n")
	if hint := fieldText(all, "hint"); hint != "" {
		b.WriteString("hint: ")
		b.WriteString(hint)
		b.WriteString("\n")
	}
	_, err := io.WriteString(c.out, b.String())
	return err
}

// Sync syncs stderr (what the debug core's Sync does).
func (c *runCore) Sync() error { return c.debug.out.Sync() }

// fieldText is the text of the last field named key: a string field's
// value or an error field's message; "" when there is none.
func fieldText(fields []zapcore.Field, key string) string {
	out := ""
	for _, f := range fields {
		if f.Key != key {
			continue
		}
		switch f.Type {
		case zapcore.StringType:
			out = f.String
		case zapcore.ErrorType:
			if err, ok := f.Interface.(error); ok {
				out = err.Error()
			}
		}
	}
	return out
}
