package mp

import (
	"errors"
	"strings"

	"github.com/mpdata/mp/domain"
)

// Code is the stable code of an error (docs/errors.md lists them with
// their exit codes). A Code is itself an error value, so
// errors.Is(err, mp.CodeAccountNotFound) matches any error whose chain
// holds an *Error with that code.
type Code string

// Error returns the code itself.
func (c Code) Error() string { return string(c) }

// The stable error codes.
const (
	CodeConfigError            = Code(domain.CodeConfigError)
	CodeLegacyConfig           = Code(domain.CodeLegacyConfig)
	CodeAccountNotFound        = Code(domain.CodeAccountNotFound)
	CodeAccountExists          = Code(domain.CodeAccountExists)
	CodeAccountInUse           = Code(domain.CodeAccountInUse)
	CodeTargetNotFound         = Code(domain.CodeTargetNotFound)
	CodeTargetExists           = Code(domain.CodeTargetExists)
	CodeProjectNotFound        = Code(domain.CodeProjectNotFound)
	CodeInvalidArgument        = Code(domain.CodeInvalidArgument)
	CodeCredentialFileUnsafe   = Code(domain.CodeCredentialFileUnsafe)
	CodeAuthFailed             = Code(domain.CodeAuthFailed)
	CodePermissionDenied       = Code(domain.CodePermissionDenied)
	CodeRateLimited            = Code(domain.CodeRateLimited)
	CodeServerError            = Code(domain.CodeServerError)
	CodeAPIError               = Code(domain.CodeAPIError)
	CodeInvalidResponse        = Code(domain.CodeInvalidResponse)
	CodeHTTPError              = Code(domain.CodeHTTPError)
	CodeNoWorkspaces           = Code(domain.CodeNoWorkspaces)
	CodeOAuthTokenError        = Code(domain.CodeOAuthTokenError)
	CodeOAuthRefreshError      = Code(domain.CodeOAuthRefreshError)
	CodeOAuthRefreshRevoked    = Code(domain.CodeOAuthRefreshRevoked)
	CodeOAuthRegistrationError = Code(domain.CodeOAuthRegistrationError)
	CodeOAuthTimeout           = Code(domain.CodeOAuthTimeout)
	CodeOAuthPortError         = Code(domain.CodeOAuthPortError)
	CodeOAuthBrowserError      = Code(domain.CodeOAuthBrowserError)
	CodeOAuthAuthDenied        = Code(domain.CodeOAuthAuthDenied)
	CodeOAuthStateMismatch     = Code(domain.CodeOAuthStateMismatch)
	CodeOAuthPasteError        = Code(domain.CodeOAuthPasteError)
	CodeRegionProbeFailed      = Code(domain.CodeRegionProbeFailed)
	CodeNetworkUnreachable     = Code(domain.CodeNetworkUnreachable)
	CodeSecretStoreUnavailable = Code(domain.CodeSecretStoreUnavailable)
)

// Error is the error type of every failing call of the package. Read it
// with errors.As:
//
//	var e *mp.Error
//	if errors.As(err, &e) && e.Code() == mp.CodeAccountNotFound { … }
//
// or match a code directly with errors.Is(err, mp.CodeAccountNotFound).
// Its message, details and hint never contain a secret.
type Error struct {
	err   *domain.Error // the first *domain.Error of the chain: code, message, hint
	chain error         // the error as returned by the use case (err, or a wrapper of it)
}

// Code returns the stable code.
func (e *Error) Code() Code { return Code(e.err.Code) }

// Message returns one human sentence saying what went wrong and where.
func (e *Error) Message() string { return libMessage(e.err.Message) }

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
func (e *Error) Error() string { return libMessage(e.chain.Error()) }

// libMessage names, at the start of a message, the selection option the
// value came from where the command line would name its flag ("option
// WithAccount: account 'x' not found" for "flag --account: …").
func libMessage(s string) string {
	for _, f := range [...]struct{ flag, option string }{
		{domain.FlagAccount, "WithAccount"},
		{domain.FlagProject, "WithProject"},
		{domain.FlagWorkspace, "WithWorkspace"},
		{domain.FlagTarget, "WithTarget"},
	} {
		if rest, ok := strings.CutPrefix(s, "flag "+f.flag+": "); ok {
			return "option " + f.option + ": " + rest
		}
	}
	return s
}

// Unwrap returns the error it was made from, so that errors.Is and
// errors.As reach its cause (for example a *net.OpError or
// context.DeadlineExceeded).
func (e *Error) Unwrap() error { return e.chain }

// Is reports whether target is e's Code.
func (e *Error) Is(target error) bool {
	c, ok := target.(Code)
	return ok && string(c) == string(e.err.Code)
}

// CodeOf returns the code of the first *Error in err's chain, or "" when
// there is none.
func CodeOf(err error) Code { return Code(domain.CodeOf(err)) }

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
