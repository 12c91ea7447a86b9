package iostreams

import (
	"bytes"
	"testing"
)

type mapEnv map[string]string

func (m mapEnv) LookupEnv(k string) (string, bool) { v, ok := m[k]; return v, ok }

// TestDecideColor: colour for each terminal stream, never for a pipe,
// with NO_COLOR set (to anything but "") or with TERM=dumb.
func TestDecideColor(t *testing.T) {
	for _, tt := range []struct {
		name             string
		outTTY           bool
		errTTY           bool
		env              mapEnv
		wantOut, wantErr bool
	}{
		{"both terminals", true, true, mapEnv{"TERM": "xterm"}, true, true},
		{"stdout piped", false, true, mapEnv{}, false, true},
		{"stderr piped", true, false, mapEnv{}, true, false},
		{"NO_COLOR", true, true, mapEnv{"NO_COLOR": "1"}, false, false},
		{"NO_COLOR empty", true, true, mapEnv{"NO_COLOR": ""}, true, true},
		{"TERM=dumb", true, true, mapEnv{"TERM": "dumb"}, false, false},
	} {
		s := &IOStreams{Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}, outTTY: tt.outTTY, errTTY: tt.errTTY}
		s.DecideColor(tt.env)
		if s.ColorOut() != tt.wantOut || s.ColorErr() != tt.wantErr {
			t.Errorf("%s: colour out=%v err=%v, want %v %v", tt.name, s.ColorOut(), s.ColorErr(), tt.wantOut, tt.wantErr)
		}
		_, colored := s.Out.(interface{ Colored() bool })
		if colored != tt.wantOut {
			t.Errorf("%s: stdout writer takes colour = %v, want %v", tt.name, colored, tt.wantOut)
		}
	}
	if got := Red(true, "Error:"); got != "\x1b[31mError:\x1b[0m" {
		t.Errorf("Red = %q", got)
	}
	if got := Yellow(false, "warning:"); got != "warning:" {
		t.Errorf("Yellow off = %q", got)
	}
}
