// Package iostreams provides the standard streams of one mp run (stdin,
// stdout for data, stderr for notes and errors), whether each is a
// terminal, quiet mode for notes, and the hidden secret prompt. Tests build
// buffered streams with Test.
package iostreams
