// Package exitcode maps errors to the process exit codes of mp
// (docs/reference/cli.md). The mapping is one table, Classes, keyed by the stable
// error codes of domain; the CLI and the generated reference both read it.
package exitcode
