package iostreams

import (
	"io"

	"github.com/mpdata/mp/ports"
)

// ANSI styles mp uses, as gh does: errors red, warnings yellow, the
// active marker green.
const (
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiGreen  = "\x1b[32m"
	ansiReset  = "\x1b[0m"
)

// DecideColor turns colour on for each of stdout and stderr that is a
// terminal, unless NO_COLOR is set to anything but the empty string
// (https://no-color.org) or TERM is "dumb". Colour is never written to a
// pipe or a file. Call it once, before the command runs.
func (s *IOStreams) DecideColor(env ports.Env) {
	if v, ok := env.LookupEnv("NO_COLOR"); ok && v != "" {
		return
	}
	if v, _ := env.LookupEnv("TERM"); v == "dumb" {
		return
	}
	s.errColor = s.errTTY
	if s.outTTY {
		s.outColor = true
		s.Out = colorWriter{s.Out}
	}
}

// ColorErr reports whether stderr gets colour.
func (s *IOStreams) ColorErr() bool { return s.errColor }

// ColorOut reports whether stdout gets colour.
func (s *IOStreams) ColorOut() bool { return s.outColor }

// Red, Yellow and Green wrap text in that colour when on is true.
func Red(on bool, text string) string    { return paint(on, ansiRed, text) }
func Yellow(on bool, text string) string { return paint(on, ansiYellow, text) }
func Green(on bool, text string) string  { return paint(on, ansiGreen, text) }

func paint(on bool, style, text string) string {
	if !on || text == "" {
		return text
	}
	return style + text + ansiReset
}

// colorWriter is stdout when it gets colour: render's tables ask it
// (Colored) whether to colour the active marker.
type colorWriter struct{ io.Writer }

// Colored reports that this writer takes colour.
func (colorWriter) Colored() bool { return true }
