package iostreams

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestSpinnerOnlyOnATerminal(t *testing.T) {
	tests := []struct {
		name      string
		errTTY    bool
		quiet     bool
		wantDrawn bool
	}{
		{"stderr is a terminal", true, false, true},
		{"stderr is a pipe", false, false, false},
		{"quiet", true, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _, out, errOut := Test()
			s.SetTTY(false, false, tt.errTTY)
			s.SetQuiet(tt.quiet)
			stop := s.StartSpinner("Waiting for the browser")
			stop()
			stop() // a second stop is harmless
			got := errOut.String()
			if drawn := strings.Contains(got, "Waiting for the browser"); drawn != tt.wantDrawn {
				t.Fatalf("stderr %q: drawn = %v, want %v", got, drawn, tt.wantDrawn)
			}
			if tt.wantDrawn && !strings.HasSuffix(got, "\r\x1b[K") {
				t.Errorf("stderr %q: the spinner line is not erased at the end", got)
			}
			if out.Len() != 0 {
				t.Errorf("stdout %q: the spinner belongs on stderr", out.String())
			}
		})
	}
}

func TestReadLine(t *testing.T) {
	tests := []struct {
		in       string
		want     string
		wantErr  error
		restLeft string
	}{
		{"2\nnext", "2", nil, "next"},
		{"12\r\n", "12", nil, ""},
		{"\n", "", nil, ""},
		{"3", "3", io.EOF, ""},
		{"", "", io.EOF, ""},
	}
	for _, tt := range tests {
		s, in, _, errOut := Test()
		in.WriteString(tt.in)
		got, err := s.ReadLine(context.Background(), "Choose: ")
		if got != tt.want || !errors.Is(err, tt.wantErr) {
			t.Errorf("ReadLine(%q) = %q, %v; want %q, %v", tt.in, got, err, tt.want, tt.wantErr)
		}
		if in.String() != tt.restLeft {
			t.Errorf("ReadLine(%q) left %q unread, want %q", tt.in, in.String(), tt.restLeft)
		}
		if errOut.String() != "Choose: " {
			t.Errorf("prompt %q", errOut.String())
		}
	}
}

func TestReadLineStopsWhenInterrupted(t *testing.T) {
	pr, pw := io.Pipe()
	defer pw.Close()
	s, _, _, _ := Test()
	s.In = pr
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.ReadLine(ctx, "> "); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}
