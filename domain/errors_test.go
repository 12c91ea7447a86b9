package domain_test

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"testing"

	"github.com/mpdata/mp/domain"
)

// specCodes is the list of docs/reference/errors.md, copied independently of the
// implementation.
var specCodes = []string{
	"CONFIG_ERROR", "LEGACY_CONFIG", "ACCOUNT_NOT_FOUND", "ACCOUNT_EXISTS", "ACCOUNT_IN_USE",
	"TARGET_NOT_FOUND", "TARGET_EXISTS", "PROJECT_NOT_FOUND", "INVALID_ARGUMENT",
	"CREDENTIAL_FILE_UNSAFE", "AUTH_FAILED", "PERMISSION_DENIED", "RATE_LIMITED", "SERVER_ERROR",
	"API_ERROR", "INVALID_RESPONSE", "HTTP_ERROR", "NO_WORKSPACES", "OAUTH_TOKEN_ERROR",
	"OAUTH_REFRESH_ERROR", "OAUTH_REFRESH_REVOKED", "OAUTH_REGISTRATION_ERROR", "OAUTH_TIMEOUT",
	"OAUTH_PORT_ERROR", "OAUTH_BROWSER_ERROR", "OAUTH_AUTH_DENIED", "OAUTH_STATE_MISMATCH",
	"OAUTH_PASTE_ERROR", "REGION_PROBE_FAILED", "NETWORK_UNREACHABLE", "SECRET_STORE_UNAVAILABLE",
}

func TestCodes(t *testing.T) {
	codes := domain.Codes()
	if len(specCodes) != 31 {
		t.Fatalf("spec list has %d codes", len(specCodes))
	}
	got := make([]string, len(codes))
	for i, c := range codes {
		got[i] = string(c)
	}
	if !slices.Equal(got, specCodes) {
		t.Fatalf("Codes() =\n%v\nwant (docs/reference/errors.md order)\n%v", got, specCodes)
	}
	seen := map[domain.Code]bool{}
	for _, c := range codes {
		if seen[c] {
			t.Errorf("duplicate code %s", c)
		}
		seen[c] = true
	}
}

func TestCodesAreErrorsIsTargets(t *testing.T) {
	for _, code := range domain.Codes() {
		err := domain.NewError(code, "something about %s", "x").WithCause(io.EOF)
		wrapped := []error{
			err,
			fmt.Errorf("load: %w", err),
			fmt.Errorf("outer: %w", fmt.Errorf("inner: %w", err)),
			errors.Join(errors.New("other"), err),
			fmt.Errorf("two: %w and %w", errors.New("x"), err),
		}
		for i, w := range wrapped {
			if !errors.Is(w, code) {
				t.Errorf("%s: wrapping %d does not match its code", code, i)
			}
			if domain.CodeOf(w) != code {
				t.Errorf("%s: CodeOf(wrapping %d) = %q", code, i, domain.CodeOf(w))
			}
			if !errors.Is(w, io.EOF) {
				t.Errorf("%s: wrapping %d lost the cause", code, i)
			}
			var e *domain.Error
			if !errors.As(w, &e) || e != err {
				t.Errorf("%s: errors.As on wrapping %d", code, i)
			}
		}
		for _, other := range domain.Codes() {
			if other != code && errors.Is(err, other) {
				t.Errorf("%s error matches code %s", code, other)
			}
		}
	}
}

func TestErrorIs(t *testing.T) {
	a := domain.NewError(domain.CodeAccountNotFound, "account 'x' not found")
	tests := []struct {
		desc   string
		err    error
		target error
		want   bool
	}{
		{"same code", a, domain.CodeAccountNotFound, true},
		{"other code", a, domain.CodeTargetNotFound, false},
		{"another *Error with the same code is not the same error", a, domain.NewError(domain.CodeAccountNotFound, "other"), false},
		{"identity", a, a, true},
		{"plain error target", a, io.EOF, false},
		{"unrelated code", domain.NewError(domain.CodeAuthFailed, "x"), domain.CodeConfigError, false},
		{"wrapped code target does not match", a, fmt.Errorf("w: %w", domain.CodeAccountNotFound), false},
	}
	for _, tt := range tests {
		if got := errors.Is(tt.err, tt.target); got != tt.want {
			t.Errorf("%s: errors.Is = %v, want %v", tt.desc, got, tt.want)
		}
	}
}

func TestCodeOf(t *testing.T) {
	tests := []struct {
		err  error
		want domain.Code
	}{
		{nil, ""},
		{io.EOF, ""},
		{domain.NewError(domain.CodeRateLimited, "slow down"), domain.CodeRateLimited},
		{fmt.Errorf("x: %w", domain.NewError(domain.CodeHTTPError, "h")), domain.CodeHTTPError},
		// The first *Error in the chain wins.
		{domain.NewError(domain.CodeAuthFailed, "a").WithCause(domain.NewError(domain.CodeNetworkUnreachable, "n")), domain.CodeAuthFailed},
	}
	for i, tt := range tests {
		if got := domain.CodeOf(tt.err); got != tt.want {
			t.Errorf("%d: CodeOf(%v) = %q, want %q", i, tt.err, got, tt.want)
		}
	}
}

func TestErrorText(t *testing.T) {
	tests := []struct {
		err  *domain.Error
		want string
	}{
		{&domain.Error{Code: domain.CodeConfigError}, "CONFIG_ERROR"},
		{&domain.Error{Code: domain.CodeConfigError, Err: io.EOF}, "CONFIG_ERROR: EOF"},
		{domain.NewError(domain.CodeConfigError, "bad %s at line %d", "key", 3), "bad key at line 3"},
		{domain.NewError(domain.CodeConfigError, "cannot read").WithCause(io.EOF), "cannot read: EOF"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
	e := domain.NewError(domain.CodeAccountInUse, "m").
		WithHint("run %s", "this").
		WithDetail("a", 1).
		WithDetail("b", []string{"x"})
	if e.Hint != "run this" || e.Details["a"] != 1 || len(e.Details) != 2 {
		t.Errorf("builder result %+v", e)
	}
	if errors.Unwrap(e) != nil {
		t.Error("Unwrap of an error without cause is not nil")
	}
}
