package mp

import (
	"errors"

	"github.com/mpdata/mp/domain"
)

// Code is the stable code of an error (docs/reference/errors.md). A Code is itself an
// error value, so errors.Is(err, mp.CodeAccountNotFound) matches any error
// whose chain holds an *Error with that code.
type Code = domain.Code

// The stable error codes.
const (
	CodeConfigError            = domain.CodeConfigError
	CodeLegacyConfig           = domain.CodeLegacyConfig
	CodeAccountNotFound        = domain.CodeAccountNotFound
	CodeAccountExists          = domain.CodeAccountExists
	CodeAccountInUse           = domain.CodeAccountInUse
	CodeTargetNotFound         = domain.CodeTargetNotFound
	CodeTargetExists           = domain.CodeTargetExists
	CodeProjectNotFound        = domain.CodeProjectNotFound
	CodeInvalidArgument        = domain.CodeInvalidArgument
	CodeCredentialFileUnsafe   = domain.CodeCredentialFileUnsafe
	CodeAuthFailed             = domain.CodeAuthFailed
	CodePermissionDenied       = domain.CodePermissionDenied
	CodeRateLimited            = domain.CodeRateLimited
	CodeServerError            = domain.CodeServerError
	CodeAPIError               = domain.CodeAPIError
	CodeInvalidResponse        = domain.CodeInvalidResponse
	CodeHTTPError              = domain.CodeHTTPError
	CodeNoWorkspaces           = domain.CodeNoWorkspaces
	CodeOAuthTokenError        = domain.CodeOAuthTokenError
	CodeOAuthRefreshError      = domain.CodeOAuthRefreshError
	CodeOAuthRefreshRevoked    = domain.CodeOAuthRefreshRevoked
	CodeOAuthRegistrationError = domain.CodeOAuthRegistrationError
	CodeOAuthTimeout           = domain.CodeOAuthTimeout
	CodeOAuthPortError         = domain.CodeOAuthPortError
	CodeOAuthBrowserError      = domain.CodeOAuthBrowserError
	CodeOAuthAuthDenied        = domain.CodeOAuthAuthDenied
	CodeOAuthStateMismatch     = domain.CodeOAuthStateMismatch
	CodeOAuthPasteError        = domain.CodeOAuthPasteError
	CodeRegionProbeFailed      = domain.CodeRegionProbeFailed
	CodeNetworkUnreachable     = domain.CodeNetworkUnreachable
	CodeSecretStoreUnavailable = domain.CodeSecretStoreUnavailable
)

// Error is the error type of every failing call of the package. Read it
// with errors.As:
//
//	var e *mp.Error
//	if errors.As(err, &e) && e.Code() == mp.CodeAccountNotFound { … }
//
// or match a code directly with errors.Is(err, mp.CodeAccountNotFound).
// Its message, details and hint never contain a secret. It wraps the
// *domain.Error it was made from, so errors.As into *domain.Error works too.
type Error struct {
	err   *domain.Error // the first *domain.Error of the chain: code, message, hint
	chain error         // the error as returned by the use case (err, or a wrapper of it)
}

// Code returns the stable code.
func (e *Error) Code() Code { return e.err.Code }

// Message returns one human sentence saying what went wrong and where.
func (e *Error) Message() string { return e.err.Message }

// Hint says how to fix the problem; empty when no fix is known.
func (e *Error) Hint() string { return e.err.Hint }

// Details returns JSON-friendly facts about the error (for example the
// account or the flag concerned); nil when there are none. The map is a
// copy.
func (e *Error) Details() map[string]any {
	if e.err.Details == nil {
		return nil
	}
	out := make(map[string]any, len(e.err.Details))
	for k, v := range e.err.Details {
		out[k] = v
	}
	return out
}

// Error returns the message, followed by the cause when there is one.
func (e *Error) Error() string { return e.chain.Error() }

// Unwrap returns the error it was made from (a *domain.Error, or an error
// wrapping one).
func (e *Error) Unwrap() error { return e.chain }

// Is reports whether target is e's Code.
func (e *Error) Is(target error) bool {
	c, ok := target.(Code)
	return ok && c == e.err.Code
}

// CodeOf returns the code of the first *Error (or *domain.Error) in err's
// chain, or "" when there is none.
func CodeOf(err error) Code { return domain.CodeOf(err) }

// wrap turns err into an *Error when its chain holds a *domain.Error (the
// rule for everything the use cases return); other errors, such as a
// cancelled context, are returned as they are. nil stays nil.
func wrap(err error) error {
	if err == nil {
		return nil
	}
	var me *Error
	if errors.As(err, &me) {
		return err
	}
	var de *domain.Error
	if errors.As(err, &de) {
		return &Error{err: de, chain: err}
	}
	return err
}
