// Package reference renders the Markdown CLI reference of mp (docs/cli.md)
// by walking the urfave/cli command tree, plus the output formats of
// package render and the exit-code table of package exitcode.
package reference
