//go:build linux && !amd64 && !arm64

package filestore

import "syscall"

// lstatBytes is syscall.Lstat (which converts the path on every call).
func lstatBytes(p *cpath, st *syscall.Stat_t) syscall.Errno {
	if err := syscall.Lstat(p.s, st); err != nil {
		if errno, ok := err.(syscall.Errno); ok {
			return errno
		}
		return syscall.EINVAL
	}
	return 0
}
