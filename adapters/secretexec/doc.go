// Package secretexec is a read-only ports.SecretStore whose secrets come
// from external commands, such as a password manager's CLI
// (["pass", "show", "mp/acme"], ["op", "read", "op://vault/mp/acme"]).
//
// Each account's command is an argv array, run without a shell; "{account}"
// and "{kind}" in its arguments are replaced by the account name and the
// secret kind (secret, token, tokens). The secret is the command's
// standard output with surrounding white space trimmed. A command that
// fails (or does not finish within the timeout, 10 s by default) is
// SECRET_STORE_UNAVAILABLE quoting its standard error (cut, with control
// characters and any output removed); one that prints nothing, or an
// account without a command, matches ports.ErrNotFound. Set and Delete
// fail with ports.ErrReadOnly.
package secretexec
