package inmem

import (
	"context"
	"errors"
	"testing"

	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports/porttest"
)

// TestUpdateKeepsNothingWhenValidationFails covers the validation step of
// Update, which no sequence of domain methods can fail.
func TestUpdateKeepsNothingWhenValidationFails(t *testing.T) {
	s := NewConfigStore(porttest.FullConfig(t))
	refused := domain.NewError(domain.CodeInvalidArgument, "refused by the test validator")
	var validated domain.Config
	s.validate = func(c domain.Config) error {
		validated = c
		return refused
	}
	err := s.Update(context.Background(), func(c *domain.Config) error {
		return c.RemoveTarget("ecom")
	})
	if !errors.Is(err, refused) {
		t.Fatalf("Update error = %v, want the validator's error unchanged", err)
	}
	if len(validated.Targets()) != 0 {
		t.Fatalf("validator saw %v, want the result of fn (no targets)", validated.TargetNames())
	}
	got, err := s.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !porttest.EqualConfigs(got, porttest.FullConfig(t)) {
		t.Fatalf("store changed although validation failed: targets %v", got.TargetNames())
	}
}
