// Package secreterr builds the errors of the SecretStore adapters: a
// *domain.Error that also matches a sentinel of ports (ports.ErrNotFound,
// ports.ErrUnavailable, …) without printing the sentinel's text, so that
// what the user reads is the error's own sentence alone.
package secreterr
