// Package account defines `mp account` and its subcommands: list, show,
// add (with the region probe), update, use, remove and test. Each subcommand has an options struct, a
// constructor that binds flags into it, and a run function that calls one
// app method and one renderer.
package account
