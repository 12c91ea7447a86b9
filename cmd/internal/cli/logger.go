package cli

import (
	"io"
	"strings"

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
	enc := zap.NewDevelopmentEncoderConfig()
	debug := zapcore.NewCore(zapcore.NewConsoleEncoder(enc), zapcore.AddSync(ios.ErrOut), level)
	return zap.New(&runCore{level: level, debug: debug, out: ios.ErrOut, color: ios.ColorErr}, zap.AddCaller(), zap.AddStacktrace(zap.ErrorLevel))
}

// runCore is the zapcore.Core of NewLogger.
type runCore struct {
	level  zap.AtomicLevel
	debug  zapcore.Core
	out    io.Writer
	color  func() bool     // whether stderr takes colour (decided after the logger is made)
	fields []zapcore.Field // added With, looked up for error and hint
}

func (c *runCore) Enabled(l zapcore.Level) bool { return c.level.Enabled(l) }

func (c *runCore) With(fields []zapcore.Field) zapcore.Core {
	return &runCore{
		level: c.level, debug: c.debug.With(fields), out: c.out, color: c.color,
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
		return c.debug.Write(ent, fields)
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

func (c *runCore) Sync() error { return c.debug.Sync() }

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
