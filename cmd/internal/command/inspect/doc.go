// Package inspect defines `mp inspect` and its subcommand events: the
// event names of the project in use.
package inspect
