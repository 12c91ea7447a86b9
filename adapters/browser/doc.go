// Package browser opens URLs in a web browser for the OAuth login
// (docs/reference/oauth.md).
//
// New(command) with a non-empty command (the value of MP_BROWSER) runs
// that command — split on spaces, never through a shell — with the URL as
// its last argument. The process is started detached: Open returns once it
// has started, without waiting for it to exit (it is reaped in the
// background), with its standard streams on the null device so that a
// long-lived browser never holds mp's output open, and, on Unix, in its own
// process group so that an interrupt of mp does not reach it.
//
// New("") uses the system browser through github.com/cli/browser
// (xdg-open and friends on Linux, open on macOS, the URL handler on
// Windows); the opener's output goes to the null device as well, never to
// mp's stdout.
package browser
