// Package ports declares the interfaces the core of mp needs from the
// outside world — config storage, the environment, the clock — in terms of
// domain types only. Every port has a contract suite in package porttest
// that each implementation, real or fake, must pass.
package ports
