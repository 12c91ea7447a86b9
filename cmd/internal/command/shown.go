package command

import "errors"

// ShownError wraps the error of a command that has already written its
// result on stdout — `mp account test` prints the failed AccountTestResult,
// `mp api` the body of an error answer. The run still fails with the exit
// code of the wrapped error, but the error is reported on stderr only, so
// that stdout holds exactly one document (no JSON error object after it).
type ShownError struct {
	// Err is the failure; its code picks the exit code.
	Err error
	// Stated: the result on stdout already says the error's message and
	// code (`mp account test`), so stderr gets only the hint.
	Stated bool
}

// Error implements error.
func (e *ShownError) Error() string { return e.Err.Error() }

// Unwrap returns the wrapped error.
func (e *ShownError) Unwrap() error { return e.Err }

// Shown marks err as reported on stdout already; nil stays nil.
func Shown(err error) error {
	if err == nil {
		return nil
	}
	return &ShownError{Err: err}
}

// Stated is Shown for a result that states the error itself (its message
// and code are fields of the result): the error is not printed again,
// only its hint; nil stays nil.
func Stated(err error) error {
	if err == nil {
		return nil
	}
	return &ShownError{Err: err, Stated: true}
}

// IsStated reports whether err (or an error it wraps) was marked by Stated.
func IsStated(err error) bool {
	var se *ShownError
	return errors.As(err, &se) && se.Stated
}

// IsShown reports whether err (or an error it wraps) was marked by Shown.
func IsShown(err error) bool {
	var se *ShownError
	return errors.As(err, &se)
}
