// Package render writes command results in the output formats of mp:
// table (aligned columns with a header, for humans), json (indented, exact
// structs), jsonl (one compact object per record), csv (header and rows)
// and plain (tab-separated values without header, for scripts). Data goes
// to stdout; nothing here is coloured.
package render
