package exitcode

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/mpdata/mp/domain"
)

// wantExit returns the exit code of every stable error code, written out
// from docs/reference/cli.md (1 general/config, 2 auth/OAuth, 3 usage, 4 not
// found, 5 rate limited).
func wantExit() map[domain.Code]int {
	return map[domain.Code]int{
		domain.CodeConfigError:            1,
		domain.CodeLegacyConfig:           1,
		domain.CodeAccountNotFound:        4,
		domain.CodeAccountExists:          1,
		domain.CodeAccountInUse:           1,
		domain.CodeTargetNotFound:         4,
		domain.CodeTargetExists:           1,
		domain.CodeProjectNotFound:        4,
		domain.CodeInvalidArgument:        3,
		domain.CodeCredentialFileUnsafe:   1,
		domain.CodeAuthFailed:             2,
		domain.CodePermissionDenied:       2,
		domain.CodeRateLimited:            5,
		domain.CodeServerError:            1,
		domain.CodeAPIError:               1,
		domain.CodeInvalidResponse:        1,
		domain.CodeHTTPError:              1,
		domain.CodeNoWorkspaces:           1,
		domain.CodeOAuthTokenError:        2,
		domain.CodeOAuthRefreshError:      2,
		domain.CodeOAuthRefreshRevoked:    2,
		domain.CodeOAuthRegistrationError: 2,
		domain.CodeOAuthTimeout:           2,
		domain.CodeOAuthPortError:         2,
		domain.CodeOAuthBrowserError:      2,
		domain.CodeOAuthAuthDenied:        2,
		domain.CodeOAuthStateMismatch:     2,
		domain.CodeOAuthPasteError:        2,
		domain.CodeRegionProbeFailed:      2,
		domain.CodeNetworkUnreachable:     1,
		domain.CodeSecretStoreUnavailable: 1,
	}
}

func TestEveryCodeIsInTheTableExactlyOnce(t *testing.T) {
	seen := map[domain.Code]int{}
	for _, cl := range Classes() {
		for _, c := range cl.Codes {
			seen[c]++
		}
	}
	for _, c := range domain.Codes() {
		if seen[c] != 1 {
			t.Errorf("code %s appears %d times in the exit-code table, want 1", c, seen[c])
		}
		if _, ok := lookup(c); !ok {
			t.Errorf("code %s is not in the table", c)
		}
	}
	if len(seen) != len(domain.Codes()) {
		t.Errorf("table lists %d codes, domain has %d", len(seen), len(domain.Codes()))
	}
}

func TestForCode(t *testing.T) {
	want := wantExit()
	if len(want) != len(domain.Codes()) {
		t.Fatalf("the test table covers %d codes, domain has %d", len(want), len(domain.Codes()))
	}
	for _, c := range domain.Codes() {
		if got := ForCode(c); got != want[c] {
			t.Errorf("ForCode(%s) = %d, want %d", c, got, want[c])
		}
	}
	if got := ForCode("SOMETHING_NEW"); got != General {
		t.Errorf("unknown code → %d, want %d", got, General)
	}
}

func TestForError(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want int
	}{
		{"nil", nil, OK},
		{"plain", errors.New("boom"), General},
		{"canceled without signal", context.Canceled, General},
		{"domain", domain.NewError(domain.CodeTargetNotFound, "x"), NotFound},
		{"wrapped", fmt.Errorf("load: %w", domain.NewError(domain.CodeRateLimited, "slow down")), RateLimited},
		{"joined", errors.Join(errors.New("a"), domain.NewError(domain.CodeAuthFailed, "no")), Auth},
		{"usage", domain.NewError(domain.CodeInvalidArgument, "bad"), Usage},
	}
	for _, tt := range tests {
		if got := ForError(tt.err); got != tt.want {
			t.Errorf("%s: ForError = %d, want %d", tt.name, got, tt.want)
		}
	}
}

func TestClassesAreDistinct(t *testing.T) {
	exits := map[int]bool{}
	for _, cl := range Classes() {
		if exits[cl.Exit] {
			t.Errorf("exit code %d appears twice", cl.Exit)
		}
		exits[cl.Exit] = true
		if cl.Meaning == "" {
			t.Errorf("exit code %d has no meaning", cl.Exit)
		}
	}
	for _, e := range []int{OK, General, Auth, Usage, NotFound, RateLimited, Interrupted} {
		if !exits[e] {
			t.Errorf("exit code %d missing from the table", e)
		}
	}
}

// TestAPIErrorExitCodes: docs/reference/http.md — a 404 from any endpoint is
// "not found" (4), a request the API found invalid is a usage error (3),
// any other API error is 1.
func TestAPIErrorExitCodes(t *testing.T) {
	notFound := domain.NewError(domain.CodeAPIError, "GET /api/app/nope was not found (HTTP 404)").WithDetail("status", 404)
	invalid := domain.NewError(domain.CodeAPIError, "rejected").WithDetail("status", 400).WithDetail("invalid_request", true)
	other := domain.NewError(domain.CodeAPIError, "refused").WithDetail("status", 409)
	for err, want := range map[error]int{notFound: NotFound, invalid: Usage, other: General, fmt.Errorf("wrapped: %w", notFound): NotFound} {
		if got := ForError(err); got != want {
			t.Errorf("ForError(%v) = %d, want %d", err, got, want)
		}
	}
}
