package filestore

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

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
