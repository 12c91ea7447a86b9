// Package domain is the pure model of mp: regions, names, identifiers,
// secrets, accounts, targets, the Config aggregate that keeps their
// invariants, the resolution chain that turns inputs into a Session, and the
// typed errors with stable codes.
//
// The package imports only the standard library and performs no I/O: no
// files, no environment, no clock, no network. Everything it needs arrives as
// arguments.
package domain
