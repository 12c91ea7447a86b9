//go:build !linux

package filestore

// cpath is a path; outside Linux no stamp is valid.
type cpath struct{ s string }

func newCPath(s string) cpath { return cpath{s: s} }

// lstatStamp is never ok outside Linux: the stores then read every time.
func lstatStamp(*cpath) (pathStamp, bool) { return pathStamp{}, false }
