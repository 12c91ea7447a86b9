//go:build unix

package filestore_test

import (
	"context"
	"os"
	"syscall"
	"testing"

	"github.com/mpdata/mp/domain"
)

func TestFIFOConfigIsRefused(t *testing.T) {
	e := newEnv(t)
	if err := os.MkdirAll(e.dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(e.path, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := e.store().Load(context.Background()) // must not block waiting for a writer
	assertError(t, err, domain.CodeCredentialFileUnsafe, e.path, "a named pipe, not a regular file")
	err = e.store().Update(context.Background(), func(c *domain.Config) error {
		_, err := c.AddAccount(sa("new", "pw"))
		return err
	})
	assertError(t, err, domain.CodeCredentialFileUnsafe, e.path)
	if fi, err := os.Lstat(e.path); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Fatalf("the FIFO was replaced: %v %v", fi, err)
	}
}
