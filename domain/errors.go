package domain

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Code is a stable, machine-readable error code (docs/reference/errors.md).
type Code string

// The stable error codes. Their string values are part of the public contract.
const (
	CodeConfigError            Code = "CONFIG_ERROR"
	CodeLegacyConfig           Code = "LEGACY_CONFIG"
	CodeAccountNotFound        Code = "ACCOUNT_NOT_FOUND"
	CodeAccountExists          Code = "ACCOUNT_EXISTS"
	CodeAccountInUse           Code = "ACCOUNT_IN_USE"
	CodeTargetNotFound         Code = "TARGET_NOT_FOUND"
	CodeTargetExists           Code = "TARGET_EXISTS"
	CodeProjectNotFound        Code = "PROJECT_NOT_FOUND"
	CodeInvalidArgument        Code = "INVALID_ARGUMENT"
	CodeCredentialFileUnsafe   Code = "CREDENTIAL_FILE_UNSAFE"
	CodeAuthFailed             Code = "AUTH_FAILED"
	CodePermissionDenied       Code = "PERMISSION_DENIED"
	CodeRateLimited            Code = "RATE_LIMITED"
	CodeServerError            Code = "SERVER_ERROR"
	CodeAPIError               Code = "API_ERROR"
	CodeInvalidResponse        Code = "INVALID_RESPONSE"
	CodeHTTPError              Code = "HTTP_ERROR"
	CodeNoWorkspaces           Code = "NO_WORKSPACES"
	CodeOAuthTokenError        Code = "OAUTH_TOKEN_ERROR"
	CodeOAuthRefreshError      Code = "OAUTH_REFRESH_ERROR"
	CodeOAuthRefreshRevoked    Code = "OAUTH_REFRESH_REVOKED"
	CodeOAuthRegistrationError Code = "OAUTH_REGISTRATION_ERROR"
	CodeOAuthTimeout           Code = "OAUTH_TIMEOUT"
	CodeOAuthPortError         Code = "OAUTH_PORT_ERROR"
	CodeOAuthBrowserError      Code = "OAUTH_BROWSER_ERROR"
	CodeOAuthAuthDenied        Code = "OAUTH_AUTH_DENIED"
	CodeOAuthStateMismatch     Code = "OAUTH_STATE_MISMATCH"
	CodeOAuthPasteError        Code = "OAUTH_PASTE_ERROR"
	CodeRegionProbeFailed      Code = "REGION_PROBE_FAILED"
	CodeNetworkUnreachable     Code = "NETWORK_UNREACHABLE"
	CodeSecretStoreUnavailable Code = "SECRET_STORE_UNAVAILABLE"
)

// Codes returns every stable error code, in the order of docs/reference/errors.md.
func Codes() []Code {
	return []Code{
		CodeConfigError, CodeLegacyConfig, CodeAccountNotFound, CodeAccountExists,
		CodeAccountInUse, CodeTargetNotFound, CodeTargetExists, CodeProjectNotFound,
		CodeInvalidArgument, CodeCredentialFileUnsafe, CodeAuthFailed, CodePermissionDenied,
		CodeRateLimited, CodeServerError, CodeAPIError, CodeInvalidResponse, CodeHTTPError,
		CodeNoWorkspaces, CodeOAuthTokenError, CodeOAuthRefreshError, CodeOAuthRefreshRevoked,
		CodeOAuthRegistrationError, CodeOAuthTimeout, CodeOAuthPortError, CodeOAuthBrowserError,
		CodeOAuthAuthDenied, CodeOAuthStateMismatch, CodeOAuthPasteError, CodeRegionProbeFailed,
		CodeNetworkUnreachable, CodeSecretStoreUnavailable,
	}
}

// Error is the typed error every layer of mp returns. Match it with
// errors.Is against its Code (for example
// errors.Is(err, domain.CodeAccountNotFound)) or errors.As to read the fields.
//
// Message, Details and Hint never contain secrets.
type Error struct {
	// Code is the stable code.
	Code Code
	// Message is one human sentence saying what went wrong and where.
	Message string
	// Details holds JSON-friendly facts (strings, numbers, string lists).
	Details map[string]any
	// Hint says how to fix it, when a fix is known.
	Hint string
	// Err is the underlying cause, if any.
	Err error
}

// Error implements error. It returns the message, followed by the cause.
func (e *Error) Error() string {
	if e.Err != nil && e.Message != "" {
		return e.Message + ": " + e.Err.Error()
	}
	if e.Message != "" {
		return e.Message
	}
	if e.Err != nil {
		return string(e.Code) + ": " + e.Err.Error()
	}
	return string(e.Code)
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is the same Code, so that callers match with
// errors.Is(err, domain.CodeAccountNotFound). Codes are constants: there are
// no mutable sentinel values to share.
func (e *Error) Is(target error) bool {
	c, ok := target.(Code)
	return ok && c == e.Code
}

// Error makes a Code usable as an errors.Is target.
func (c Code) Error() string { return string(c) }

// CodeOf returns the code of the first *Error in err's chain, or "" when
// there is none.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// NewError builds an *Error with a formatted message.
func NewError(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// WithHint returns e with its hint set.
func (e *Error) WithHint(format string, args ...any) *Error {
	e.Hint = fmt.Sprintf(format, args...)
	return e
}

// WithDetail returns e with one more detail set.
func (e *Error) WithDetail(key string, value any) *Error {
	if e.Details == nil {
		e.Details = map[string]any{}
	}
	e.Details[key] = value
	return e
}

// WithCause returns e with its cause set.
func (e *Error) WithCause(err error) *Error {
	e.Err = err
	return e
}

// invalidArgument is the error for a value that breaks a rule of docs/reference/model.md.
func invalidArgument(what, value, rule string) *Error {
	return NewError(CodeInvalidArgument, "invalid %s %q: %s", what, value, rule).
		WithDetail("field", what)
}

// withSuggestion adds the allowed value closest to typed, if one is close
// enough to be a typo, as details.suggestion and a "did you mean" hint.
func withSuggestion(e *Error, typed string, allowed []string) *Error {
	if s := Suggest(typed, allowed); s != "" {
		return e.WithDetail("suggestion", s).WithHint("did you mean %q?", s)
	}
	return e
}

// quotedList renders names as 'a', 'b' or "(none)".
func quotedList[T ~string](names []T) string {
	if len(names) == 0 {
		return "(none)"
	}
	s := make([]string, len(names))
	for i, n := range names {
		s[i] = "'" + string(n) + "'"
	}
	sort.Strings(s)
	return strings.Join(s, ", ")
}
