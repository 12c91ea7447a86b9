package iostreams

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

func TestReadAllStdin(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"pw\n", "pw"},
		{"pw\r\n", "pw"},
		{"pw", "pw"},
		{"pw\n\n", "pw\n"},
		{"  spaced  \n", "  spaced  "},
		{"", ""},
	}
	for _, tt := range tests {
		s, in, _, _ := Test()
		in.WriteString(tt.in)
		got, err := s.ReadAllStdin(context.Background())
		if err != nil || got != tt.want {
			t.Errorf("ReadAllStdin(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	s, in, _, _ := Test()
	in.WriteString(strings.Repeat("x", MaxSecretSize+1))
	if _, err := s.ReadAllStdin(context.Background()); err == nil {
		t.Error("oversized stdin accepted")
	}
}

func TestReadSecret(t *testing.T) {
	s, _, out, errOut := Test()
	if s.CanPrompt() {
		t.Fatal("test streams must not prompt")
	}
	if _, err := s.ReadSecret(context.Background(), "p: "); !errors.Is(err, ErrNoTerminal) {
		t.Fatalf("err = %v, want ErrNoTerminal", err)
	}
	s.SetTTY(true, false, false)
	s.SetHiddenReader(func() ([]byte, error) { return []byte("typed\r"), nil })
	got, err := s.ReadSecret(context.Background(), "Secret: ")
	if err != nil || got != "typed" {
		t.Fatalf("ReadSecret = %q, %v", got, err)
	}
	if errOut.String() != "Secret: \n" || out.Len() != 0 {
		t.Errorf("stderr %q stdout %q: the prompt goes to stderr and nothing is echoed", errOut.String(), out.String())
	}
	s.SetHiddenReader(func() ([]byte, error) { return nil, errors.New("eof") })
	if _, err := s.ReadSecret(context.Background(), "Secret: "); err == nil {
		t.Error("reader error swallowed")
	}
}

func TestNotef(t *testing.T) {
	s, _, out, errOut := Test()
	s.Notef("hello %s", "you")
	s.Notef("line\n")
	if errOut.String() != "hello you\nline\n" || out.Len() != 0 {
		t.Errorf("stderr %q", errOut.String())
	}
	s.SetQuiet(true)
	s.Notef("hidden")
	if strings.Contains(errOut.String(), "hidden") || !s.IsQuiet() {
		t.Error("quiet note printed")
	}
}

// TestReadsStopWhenInterrupted: a pipe that never sends, or a prompt nobody
// answers, must not keep mp from exiting on Ctrl-C; the terminal state is
// restored after an interrupted prompt.
func TestReadsStopWhenInterrupted(t *testing.T) {
	pr, pw := io.Pipe()
	defer pw.Close()
	s, _, _, _ := Test()
	s.In = pr
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	if _, err := s.ReadAllStdin(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("ReadAllStdin on a silent pipe after cancel = %v, want context.Canceled", err)
	}

	block := make(chan struct{})
	defer close(block)
	s.SetTTY(true, false, false)
	s.SetHiddenReader(func() ([]byte, error) { <-block; return nil, io.EOF })
	restored := false
	s.saveTerminal = func() func() { return func() { restored = true } }
	ctx, cancel = context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	if _, err := s.ReadSecret(ctx, "Secret: "); !errors.Is(err, context.Canceled) {
		t.Fatalf("ReadSecret after cancel = %v, want context.Canceled", err)
	}
	if !restored {
		t.Fatal("the terminal state was not restored after an interrupted prompt")
	}
}

func TestWarnfAndProgressf(t *testing.T) {
	s, _, out, errOut := Test()
	s.Progressf("Probing region %s…", "us")
	s.Progressf(" 401\n")
	s.Warnf("project %d is not listed", 7)
	want := "Probing region us… 401\nwarning: project 7 is not listed\n"
	if errOut.String() != want || out.Len() != 0 {
		t.Errorf("stderr %q, want %q", errOut.String(), want)
	}
	errOut.Reset()
	s.SetQuiet(true)
	s.Progressf("hidden")
	s.Warnf("shown")
	if errOut.String() != "warning: shown\n" {
		t.Errorf("quiet: stderr %q; progress is suppressed, warnings are not", errOut.String())
	}
}

func TestReadStdin(t *testing.T) {
	s, in, _, _ := Test()
	in.WriteString("{\"a\":1}\n\n")
	got, err := s.ReadStdin(context.Background(), 100)
	if err != nil || string(got) != "{\"a\":1}\n\n" {
		t.Fatalf("ReadStdin = %q, %v; the body must be unchanged", got, err)
	}
	s, in, _, _ = Test()
	in.WriteString(strings.Repeat("x", 11))
	if _, err := s.ReadStdin(context.Background(), 10); err == nil {
		t.Error("oversized stdin accepted")
	}
	pr, pw := io.Pipe()
	defer pw.Close()
	s.In = pr
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	if _, err := s.ReadStdin(ctx, 10); !errors.Is(err, context.Canceled) {
		t.Fatalf("ReadStdin on a silent pipe after cancel = %v, want context.Canceled", err)
	}
}
