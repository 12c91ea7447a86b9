//go:build unix

package securefile_test

import (
	"path/filepath"
	"syscall"
	"testing"

	"github.com/mpdata/mp/adapters/internal/securefile"
)

func TestReadFileRefusesFIFO(t *testing.T) {
	l := newLayout(t)
	if err := syscall.Mkfifo(l.path, 0o600); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := securefile.ReadFile(l.path, l.opts())
		done <- err
	}()
	// ReadFile must answer without waiting for a writer on the pipe.
	assertUnsafe(t, <-done, l.path, "a named pipe, not a regular file", "check what "+l.path+" is")
	err := securefile.WriteFile(l.path, []byte("x"), l.opts())
	assertUnsafe(t, err, l.path, "a named pipe", "give the path of a regular file")
	assertOnlyEntries(t, filepath.Dir(l.path), "config.toml")
}
