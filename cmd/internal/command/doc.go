// Package command holds what every mp command shares: the Factory (streams,
// environment, logger and the lazily built app), the global flags and how
// they are read from whichever level of the command line set them,
// positional-argument checks, and the conversion of command-line mistakes
// into INVALID_ARGUMENT errors (exit code 3). Subpackages define the
// commands themselves.
package command
