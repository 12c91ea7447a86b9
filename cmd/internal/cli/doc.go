// Package cli is the entry point of the mp command: Main builds the
// streams, the logger and the urfave/cli App, runs it with a signal-aware
// context, reports a failure on stderr (and, with --format json or jsonl,
// as a JSON error object on stdout), and maps it to the exit code through
// the table of package exitcode.
package cli
