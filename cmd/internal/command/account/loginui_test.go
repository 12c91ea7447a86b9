package account

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/mpdata/mp/cmd/internal/iostreams"
	"github.com/mpdata/mp/ports"
)

// With --no-browser, stdin ending with nothing pasted is noted on stderr
// (the login then waits for the callback alone); text that is not a
// redirect is left to the paste reader's own error, and a login that is
// over notes nothing.
func TestPasteStdinClosedNote(t *testing.T) {
	const note = "stdin closed: waiting for the browser callback only"
	tests := []struct {
		name   string
		stdin  string
		before func(*loginUI)
		quiet  bool
		want   bool
	}{
		{name: "empty stdin (</dev/null)", want: true},
		{name: "blank lines only", stdin: "\n  \n\t\n", want: true},
		{name: "something pasted", stdin: "not a redirect\n"},
		{name: "a pasted redirect", stdin: "code=abc&state=xyz\n"},
		{name: "after the code arrived", before: func(u *loginUI) { u.notify(ports.LoginEvent{Kind: ports.LoginCode}) }},
		{name: "after the login returned", before: func(u *loginUI) { u.done() }},
		{name: "quiet", quiet: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, in, _, errOut := iostreams.Test()
			ios.SetQuiet(tt.quiet)
			in.WriteString(tt.stdin)
			ui := &loginUI{io: ios, noBrowser: true}
			o := loginOptions(context.Background(), ios, ui, true, false)
			if o.Paste == nil {
				t.Fatal("no paste reader with --no-browser")
			}
			if tt.before != nil {
				tt.before(ui)
			}
			got, err := io.ReadAll(o.Paste)
			if err != nil || string(got) != tt.stdin {
				t.Fatalf("the paste reader read %q, %v; want stdin as is", got, err)
			}
			// A second read at the end notes nothing more.
			_, _ = o.Paste.Read(make([]byte, 8))
			if n := strings.Count(errOut.String(), note); (n == 1) != tt.want || n > 1 {
				t.Fatalf("stderr = %q; want the note %v (once)", errOut.String(), tt.want)
			}
		})
	}
	ios, _, _, _ := iostreams.Test()
	if o := loginOptions(context.Background(), ios, &loginUI{io: ios}, false, false); o.Paste != nil {
		t.Fatal("a paste reader without --no-browser")
	}
}
