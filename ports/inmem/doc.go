// Package inmem provides in-memory implementations of the ports — verified
// fakes: each passes the same contract suite in package porttest as the real
// adapters, so tests of the core can use them with confidence.
package inmem
