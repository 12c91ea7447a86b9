package cli

import (
	"strings"
	"testing"

	"github.com/mpdata/mp/cmd/internal/command"
	"github.com/mpdata/mp/cmd/internal/exitcode"
	"github.com/mpdata/mp/cmd/internal/iostreams"
	"github.com/mpdata/mp/cmd/internal/render"
	"github.com/mpdata/mp/domain"
)

// TestShownErrorKeepsStdoutClean: a command that printed its result (a
// failed account test, an API error body) fails with the error's exit code,
// reports it on stderr, and adds no JSON error object to stdout.
func TestShownErrorKeepsStdoutClean(t *testing.T) {
	base := domain.NewError(domain.CodeAuthFailed, "credentials for account 'team' are invalid").WithHint("check the secret")
	for _, f := range []render.Format{render.JSON, render.JSONL, render.Table} {
		ios, _, out, errOut := iostreams.Test()
		err := command.Shown(base)
		report(ios, output{format: f}, err)
		if out.Len() != 0 {
			t.Errorf("%s: stdout %q, want nothing", f, out.String())
		}
		if !strings.HasPrefix(errOut.String(), "Error: credentials for account 'team' are invalid\n") ||
			!strings.Contains(errOut.String(), "hint: check the secret") {
			t.Errorf("%s: stderr %q", f, errOut.String())
		}
		if exitcode.ForError(err) != exitcode.Auth || !command.IsShown(err) {
			t.Errorf("%s: exit %d", f, exitcode.ForError(err))
		}
	}
	ios, _, out, _ := iostreams.Test()
	report(ios, output{format: render.JSON}, base)
	if !strings.Contains(out.String(), `"code": "AUTH_FAILED"`) {
		t.Errorf("an unshown error still gets the JSON object: %q", out.String())
	}
	if command.Shown(nil) != nil {
		t.Error("Shown(nil) != nil")
	}
}
