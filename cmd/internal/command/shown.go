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

// IsShown reports whether err (or an error it wraps) was marked by Shown.
func IsShown(err error) bool {
	var se *ShownError
	return errors.As(err, &se)
}
