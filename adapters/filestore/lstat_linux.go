//go:build linux

package filestore

import "syscall"

// cpath is a path kept both as a string and NUL-terminated, so that a
// stamp of it needs no conversion (and no allocation) per call.
type cpath struct {
	s string
	b []byte // NUL-terminated; nil when s holds a NUL byte
}

func newCPath(s string) cpath {
	b, err := syscall.ByteSliceFromString(s)
	if err != nil {
		return cpath{s: s}
	}
	return cpath{s: s, b: b}
}

// lstatStamp stamps what p names now, without following a symlink at the
// leaf. A path that is not there (ENOENT, ENOTDIR) is a valid "absent"
// stamp; any other error is not ok.
func lstatStamp(p *cpath) (pathStamp, bool) {
	if p.b == nil {
		return pathStamp{}, false
	}
	var st syscall.Stat_t
	switch err := lstatBytes(p, &st); err {
	case 0:
		return pathStamp{stamp: stampOfStat(&st)}, true
	case syscall.ENOENT, syscall.ENOTDIR:
		return pathStamp{absent: true}, true
	default:
		return pathStamp{}, false
	}
}
