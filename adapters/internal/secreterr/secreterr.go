package secreterr

import "github.com/mpdata/mp/domain"

// Matching returns de, also matching sentinel: errors.Is(err, sentinel)
// and errors.As(err, &*domain.Error) both hold (so domain.CodeOf works),
// while err.Error() is de's text alone — a sentinel set with
// de.WithCause would add ": secret store unavailable" and the like to
// every message.
func Matching(de *domain.Error, sentinel error) error {
	return &matching{de: de, is: sentinel}
}

// matching is the error of Matching.
type matching struct {
	de *domain.Error
	is error
}

// Error implements error: the domain error's text.
func (e *matching) Error() string { return e.de.Error() }

// Unwrap returns the domain error and the sentinel.
func (e *matching) Unwrap() []error { return []error{e.de, e.is} }
