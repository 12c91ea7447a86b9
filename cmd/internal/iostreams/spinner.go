package iostreams

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// spinnerFrames are the frames of the waiting spinner.
var spinnerFrames = [...]string{"|", "/", "-", `\`}

// spinnerInterval is how often the spinner advances.
const spinnerInterval = 120 * time.Millisecond

// StartSpinner shows "<frame> message" on stderr, redrawn in place, until
// the returned stop function is called; stop erases the line and may be
// called more than once. The spinner only runs when stderr is a terminal
// and quiet mode is off — otherwise nothing is written (a log or a pipe
// must not fill with carriage returns) and stop does nothing.
func (s *IOStreams) StartSpinner(message string) (stop func()) {
	if !s.errTTY || s.quiet {
		return func() {}
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(spinnerInterval)
		defer t.Stop()
		for i := 0; ; i++ {
			_, _ = fmt.Fprintf(s.ErrOut, "\r%s", fitWidth(spinnerFrames[i%len(spinnerFrames)]+" "+message, s.width()-1))
			select {
			case <-done:
				// Erase the spinner line: back to column 0, clear to the end.
				_, _ = io.WriteString(s.ErrOut, "\r\x1b[K")
				return
			case <-t.C:
			}
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() {
			close(done)
			<-finished
		})
	}
}

// ReadLine prints prompt on ErrOut and reads one line from In (without the
// line ending), at most MaxSecretSize bytes. It reads one byte at a time so
// that nothing after the line is consumed, and returns ctx's error as soon
// as ctx is done. At the end of input without a newline it returns what
// was read and io.EOF (io.EOF alone when nothing was read).
func (s *IOStreams) ReadLine(ctx context.Context, prompt string) (string, error) {
	_, _ = io.WriteString(s.ErrOut, prompt)
	b, err := readUntilDone(ctx, func() ([]byte, error) {
		var line []byte
		one := make([]byte, 1)
		for len(line) <= MaxSecretSize {
			n, err := s.In.Read(one)
			if n == 1 {
				if one[0] == '\n' {
					return line, nil
				}
				line = append(line, one[0])
			}
			if err != nil {
				return line, err
			}
		}
		return nil, fmt.Errorf("input line longer than %d bytes", MaxSecretSize)
	})
	if ctx.Err() != nil {
		return "", ctx.Err()
	}
	return strings.TrimSuffix(string(b), "\r"), err
}
