// Package session defines `mp session [--explain]`: the resolved account,
// project and workspace of this run, and with --explain, per axis, the
// source that won and the candidates it shadowed.
package session
