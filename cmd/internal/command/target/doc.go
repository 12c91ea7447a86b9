// Package target defines `mp target` and its subcommands: add, list, show,
// use and remove. A target is a saved cursor: an account, a project and
// optionally a workspace.
package target
