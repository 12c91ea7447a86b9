// Package root assembles the mp command tree into a urfave/cli App.
package root
