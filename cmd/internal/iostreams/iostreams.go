package iostreams

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"
)

// MaxSecretSize is the largest secret accepted on stdin or at the prompt.
const MaxSecretSize = 64 << 10

// ErrNoTerminal is returned by ReadSecret when stdin is not a terminal, so
// there is nobody to prompt.
var ErrNoTerminal = errors.New("stdin is not a terminal")

// IOStreams are the streams of one run: In for input, Out for data, ErrOut
// for notes, logs and errors.
type IOStreams struct {
	// In is the standard input.
	In io.Reader
	// Out receives data (the command's result).
	Out io.Writer
	// ErrOut receives notes, logs and errors.
	ErrOut io.Writer

	inTTY  bool
	outTTY bool
	errTTY bool
	quiet  bool

	outColor bool // DecideColor
	errColor bool

	// readHidden reads one line from the terminal without echo.
	readHidden func() ([]byte, error)
	// errWidth returns the width of the terminal on stderr (0: unknown).
	errWidth func() int
	// saveTerminal records the terminal state and returns the function
	// that puts it back (nil when there is nothing to restore).
	saveTerminal func() (restore func())
}

// System returns the process's standard streams, with terminal detection
// through golang.org/x/term.
func System() *IOStreams {
	s := &IOStreams{
		In:     os.Stdin,
		Out:    os.Stdout,
		ErrOut: os.Stderr,
		inTTY:  isTerminal(os.Stdin),
		outTTY: isTerminal(os.Stdout),
		errTTY: isTerminal(os.Stderr),
	}
	errFd := int(os.Stderr.Fd())
	s.errWidth = func() int {
		w, _, err := term.GetSize(errFd)
		if err != nil {
			return 0
		}
		return w
	}
	fd := int(os.Stdin.Fd())
	s.readHidden = func() ([]byte, error) { return term.ReadPassword(fd) }
	s.saveTerminal = func() func() {
		st, err := term.GetState(fd)
		if err != nil {
			return nil
		}
		return func() { _ = term.Restore(fd, st) }
	}
	return s
}

// readResult is the outcome of a blocking read done in the background.
type readResult struct {
	b   []byte
	err error
}

// readUntilDone runs read in the background and returns its result, or
// ctx's error as soon as ctx is done (an interrupt), so that a read that
// blocks — a pipe that never sends, a prompt nobody answers — never keeps
// mp from exiting. The abandoned read ends with the process.
func readUntilDone(ctx context.Context, read func() ([]byte, error)) ([]byte, error) {
	ch := make(chan readResult, 1)
	go func() {
		b, err := read()
		ch <- readResult{b, err}
	}()
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case r := <-ch:
		return r.b, r.err
	}
}

func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

// Test returns streams over buffers, none of them a terminal, and the
// buffers: stdin, stdout, stderr.
func Test() (*IOStreams, *bytes.Buffer, *bytes.Buffer, *bytes.Buffer) {
	in, out, errOut := &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	return &IOStreams{In: in, Out: out, ErrOut: errOut}, in, out, errOut
}

// IsStdinTTY reports whether stdin is a terminal.
func (s *IOStreams) IsStdinTTY() bool { return s.inTTY }

// IsStdoutTTY reports whether stdout is a terminal.
func (s *IOStreams) IsStdoutTTY() bool { return s.outTTY }

// width is the width of stderr's terminal in columns; 0 when unknown.
func (s *IOStreams) width() int {
	if s.errWidth == nil {
		return 0
	}
	return s.errWidth()
}

// IsStderrTTY reports whether stderr is a terminal.
func (s *IOStreams) IsStderrTTY() bool { return s.errTTY }

// SetTTY overrides terminal detection (for tests).
func (s *IOStreams) SetTTY(in, out, errOut bool) { s.inTTY, s.outTTY, s.errTTY = in, out, errOut }

// SetHiddenReader replaces the function that reads a line from the terminal
// without echo (for tests).
func (s *IOStreams) SetHiddenReader(fn func() ([]byte, error)) { s.readHidden = fn }

// SetQuiet turns notes off (--quiet).
func (s *IOStreams) SetQuiet(q bool) { s.quiet = q }

// IsQuiet reports whether notes are off.
func (s *IOStreams) IsQuiet() bool { return s.quiet }

// Notef writes one note line to ErrOut unless quiet mode is on. Notes are
// information for humans, never data.
func (s *IOStreams) Notef(format string, args ...any) {
	if s.quiet {
		return
	}
	msg := fmt.Sprintf(format, args...)
	if !strings.HasSuffix(msg, "\n") {
		msg += "\n"
	}
	_, _ = io.WriteString(s.ErrOut, msg)
}

// Warnf writes one "warning: …" line to ErrOut, also in quiet mode: a
// warning says something may be wrong even though the command succeeded.
func (s *IOStreams) Warnf(format string, args ...any) {
	msg := Yellow(s.errColor, "warning:") + " " + fmt.Sprintf(format, args...)
	if !strings.HasSuffix(msg, "\n") {
		msg += "\n"
	}
	_, _ = io.WriteString(s.ErrOut, msg)
}

// Progressf writes progress text to ErrOut as is (no newline added, so a
// line can be completed later) unless quiet mode is on.
func (s *IOStreams) Progressf(format string, args ...any) {
	if s.quiet {
		return
	}
	_, _ = fmt.Fprintf(s.ErrOut, format, args...)
}

// CanPrompt reports whether a hidden prompt is possible: stdin is a
// terminal and a terminal reader is set.
func (s *IOStreams) CanPrompt() bool { return s.inTTY && s.readHidden != nil }

// ReadSecret prints prompt on ErrOut and reads one line from the terminal
// without echo. It returns ErrNoTerminal when stdin is not a terminal, and
// ctx's error when ctx is done first — with the terminal's echo restored.
// The value is never echoed or logged.
func (s *IOStreams) ReadSecret(ctx context.Context, prompt string) (string, error) {
	if !s.CanPrompt() {
		return "", ErrNoTerminal
	}
	var restore func()
	if s.saveTerminal != nil {
		restore = s.saveTerminal()
	}
	_, _ = io.WriteString(s.ErrOut, prompt)
	b, err := readUntilDone(ctx, s.readHidden)
	_, _ = io.WriteString(s.ErrOut, "\n")
	if ctx.Err() != nil {
		if restore != nil {
			restore()
		}
		return "", ctx.Err()
	}
	if err != nil {
		return "", fmt.Errorf("read from terminal: %w", err)
	}
	if len(b) > MaxSecretSize {
		return "", fmt.Errorf("input longer than %d bytes", MaxSecretSize)
	}
	return strings.TrimRight(string(b), "\r\n"), nil
}

// ReadAllStdin reads stdin up to MaxSecretSize bytes and trims one trailing
// newline (LF or CRLF), as for --secret-stdin and --token-stdin. It returns
// ctx's error as soon as ctx is done, even while stdin has not sent
// anything yet.
func (s *IOStreams) ReadAllStdin(ctx context.Context) (string, error) {
	b, err := readUntilDone(ctx, func() ([]byte, error) { return io.ReadAll(io.LimitReader(s.In, MaxSecretSize+1)) })
	if ctx.Err() != nil {
		return "", ctx.Err()
	}
	if err != nil {
		return "", fmt.Errorf("read stdin: %w", err)
	}
	if len(b) > MaxSecretSize {
		return "", fmt.Errorf("stdin holds more than %d bytes", MaxSecretSize)
	}
	v := string(b)
	v = strings.TrimSuffix(v, "\n")
	v = strings.TrimSuffix(v, "\r")
	return v, nil
}

// ReadStdin reads all of stdin, up to limit bytes, unchanged (a request
// body for `mp api --input -`). It fails when stdin holds more than limit
// bytes, and returns ctx's error as soon as ctx is done.
func (s *IOStreams) ReadStdin(ctx context.Context, limit int64) ([]byte, error) {
	b, err := readUntilDone(ctx, func() ([]byte, error) { return io.ReadAll(io.LimitReader(s.In, limit+1)) })
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if err != nil {
		return nil, fmt.Errorf("read stdin: %w", err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("stdin holds more than %d bytes", limit)
	}
	return b, nil
}
