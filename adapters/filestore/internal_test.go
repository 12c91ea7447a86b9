package filestore

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports/porttest"
)

// TestUpdateWritesNothingWhenValidationFails covers the validation step of
// Update, which no sequence of domain methods can fail.
func TestUpdateWritesNothingWhenValidationFails(t *testing.T) {
	home := t.TempDir()
	path := filepath.Join(home, ".mp", "config.toml")
	s := NewConfigStore(path, home)
	if err := s.Update(context.Background(), porttest.BuildFullConfig); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	refused := domain.NewError(domain.CodeInvalidArgument, "refused by the test validator")
	s.validate = func(domain.Config) error { return refused }
	err = s.Update(context.Background(), func(c *domain.Config) error { return c.RemoveTarget("ecom") })
	if !errors.Is(err, refused) {
		t.Fatalf("Update error = %v, want the validator's error unchanged", err)
	}
	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Fatal("the file changed although validation failed")
	}
}

// TestUpdateGivesUpOnAStuckLockHolder: a process stuck holding the lock
// does not hang every other mp forever; the error names the lock file.
func TestUpdateGivesUpOnAStuckLockHolder(t *testing.T) {
	home := t.TempDir()
	path := filepath.Join(home, ".mp", "config.toml")
	holder := NewConfigStore(path, home)
	entered, release := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- holder.Update(context.Background(), func(*domain.Config) error {
			close(entered)
			<-release
			return nil
		})
	}()
	<-entered
	s := NewConfigStore(path, home)
	s.lockWait = 50 * time.Millisecond
	err := s.Update(context.Background(), func(*domain.Config) error { return nil })
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	var de *domain.Error
	if !errors.As(err, &de) || de.Code != domain.CodeConfigError || de.Details["lock_file"] != path+".lock" {
		t.Fatalf("Update behind a stuck holder = %v, want CONFIG_ERROR naming %s.lock", err, path)
	}
	// Once the holder is gone the lock is free again.
	if err := s.Update(context.Background(), func(*domain.Config) error { return nil }); err != nil {
		t.Fatalf("Update after the holder finished: %v", err)
	}
}
