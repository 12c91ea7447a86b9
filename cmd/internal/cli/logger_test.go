package cli

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"go.uber.org/zap"

	"github.com/mpdata/mp/cmd/internal/iostreams"
)

// TestWarningsArePlainLines: at the default level a warning is a
// "warning:" line (with the error) and a "hint:" line, and info/debug
// records print nothing; with the debug level every record is a
// structured log line.
func TestWarningsArePlainLines(t *testing.T) {
	var errOut bytes.Buffer
	ios := &iostreams.IOStreams{Out: &bytes.Buffer{}, ErrOut: &errOut}
	level := zap.NewAtomicLevelAt(zap.WarnLevel)
	log := NewLogger(ios, level).With(zap.String("account", "team"))

	log.Debug("not shown")
	log.Info("not shown either")
	log.Warn("could not write the cache", zap.Error(errors.New("me.json is a symlink")), zap.String("hint", "remove the link"))
	log.Warn("bare warning")
	want := "warning: could not write the cache: me.json is a symlink\nhint: remove the link\nwarning: bare warning\n"
	if got := errOut.String(); got != want {
		t.Fatalf("stderr = %q, want %q", got, want)
	}

	errOut.Reset()
	level.SetLevel(zap.DebugLevel)
	log.Debug("resolved", zap.String("project", "3"))
	log.Warn("could not write the cache")
	got := errOut.String()
	for _, w := range []string{"DEBUG", "resolved", `"project": "3"`, `"account": "team"`, "WARN", "could not write the cache"} {
		if !strings.Contains(got, w) {
			t.Errorf("debug output lacks %q:\n%s", w, got)
		}
	}
	if strings.Contains(got, "warning:") {
		t.Errorf("debug output has plain warning lines:\n%s", got)
	}
}
