package secreterr_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/mpdata/mp/adapters/internal/secreterr"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
)

func TestMatching(t *testing.T) {
	tests := []struct {
		name     string
		de       *domain.Error
		sentinel error
		want     string
	}{
		{"unavailable", domain.NewError(domain.CodeSecretStoreUnavailable, "the command failed (exit status 3): oops"), ports.ErrUnavailable, "the command failed (exit status 3): oops"},
		{"not found", domain.NewError(domain.CodeConfigError, "it printed nothing"), ports.ErrNotFound, "it printed nothing"},
		{"with a real cause", domain.NewError(domain.CodeConfigError, "too big").WithCause(errors.New("64 KiB")), ports.ErrTooLarge, "too big: 64 KiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := secreterr.Matching(tt.de, tt.sentinel)
			if err.Error() != tt.want || strings.Contains(err.Error(), tt.sentinel.Error()) {
				t.Errorf("Error() = %q, want %q", err.Error(), tt.want)
			}
			if !errors.Is(err, tt.sentinel) || !errors.Is(err, tt.de.Code) || domain.CodeOf(err) != tt.de.Code {
				t.Errorf("%v does not match %v and %s", err, tt.sentinel, tt.de.Code)
			}
			var de *domain.Error
			if !errors.As(err, &de) || de != tt.de {
				t.Errorf("errors.As did not find the domain error")
			}
		})
	}
}
