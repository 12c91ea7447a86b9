package exitcode

import (
	"errors"
	"slices"

	"github.com/mpdata/mp/domain"
)

// The exit codes of mp.
const (
	// OK is success.
	OK = 0
	// General is a general or configuration error.
	General = 1
	// Auth is an authentication or OAuth error.
	Auth = 2
	// Usage is an invalid argument or wrong usage.
	Usage = 3
	// NotFound is an unknown account, target or project.
	NotFound = 4
	// RateLimited means Mixpanel rate-limited the request.
	RateLimited = 5
	// Interrupted means the run was interrupted (SIGINT, SIGTERM).
	Interrupted = 130
)

// Class is one row of the exit-code table: an exit code, what it means, and
// the error codes that produce it.
type Class struct {
	// Exit is the process exit code.
	Exit int
	// Meaning describes the class for humans.
	Meaning string
	// Codes are the domain error codes mapped to Exit.
	Codes []domain.Code
}

// Classes returns the exit-code table, the one place where error codes map
// to exit codes. An error without a code exits with General; an interrupted
// run exits with Interrupted.
func Classes() []Class {
	return []Class{
		{Exit: OK, Meaning: "success"},
		{Exit: General, Meaning: "general or configuration error (also any error without a code)", Codes: []domain.Code{
			domain.CodeConfigError, domain.CodeLegacyConfig, domain.CodeAccountExists, domain.CodeAccountInUse,
			domain.CodeTargetExists, domain.CodeCredentialFileUnsafe, domain.CodeServerError, domain.CodeAPIError,
			domain.CodeInvalidResponse, domain.CodeHTTPError, domain.CodeNoWorkspaces, domain.CodeNetworkUnreachable,
			domain.CodeSecretStoreUnavailable,
		}},
		{Exit: Auth, Meaning: "authentication or OAuth error", Codes: []domain.Code{
			domain.CodeAuthFailed, domain.CodePermissionDenied, domain.CodeRegionProbeFailed,
			domain.CodeOAuthTokenError, domain.CodeOAuthRefreshError, domain.CodeOAuthRefreshRevoked,
			domain.CodeOAuthRegistrationError, domain.CodeOAuthTimeout, domain.CodeOAuthPortError,
			domain.CodeOAuthBrowserError, domain.CodeOAuthAuthDenied, domain.CodeOAuthStateMismatch,
			domain.CodeOAuthPasteError,
		}},
		{Exit: Usage, Meaning: "invalid argument or usage (unknown flag or command, missing or extra argument, bad value)", Codes: []domain.Code{
			domain.CodeInvalidArgument,
		}},
		{Exit: NotFound, Meaning: "not found (account, target, project)", Codes: []domain.Code{
			domain.CodeAccountNotFound, domain.CodeTargetNotFound, domain.CodeProjectNotFound,
		}},
		{Exit: RateLimited, Meaning: "rate limited by Mixpanel", Codes: []domain.Code{
			domain.CodeRateLimited,
		}},
		{Exit: Interrupted, Meaning: "interrupted (SIGINT or SIGTERM)"},
	}
}

// ForCode returns the exit code of an error code; General for a code the
// table does not list (and for "").
func ForCode(c domain.Code) int {
	exit, _ := lookup(c)
	return exit
}

// lookup returns the exit code of c and whether the table lists c.
func lookup(c domain.Code) (int, bool) {
	for _, cl := range Classes() {
		if slices.Contains(cl.Codes, c) {
			return cl.Exit, true
		}
	}
	return General, false
}

// ForError returns the exit code of err: OK for nil, otherwise the code of
// the first domain.Error in its chain through the table (General when there
// is none).
func ForError(err error) int {
	if err == nil {
		return OK
	}
	var e *domain.Error
	if errors.As(err, &e) && e.Code == domain.CodeAPIError {
		// docs/reference/http.md: a 404 is "not found" (4) and a request the API
		// found invalid is a usage error (3), whatever the endpoint.
		switch {
		case e.Details["status"] == 404:
			return NotFound
		case e.Details["invalid_request"] == true:
			return Usage
		}
	}
	return ForCode(domain.CodeOf(err))
}
