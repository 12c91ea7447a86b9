//go:build linux && (amd64 || arm64)

package filestore

import (
	"syscall"
	"unsafe"
)

// atFDCWD and atSymlinkNoFollow are AT_FDCWD and AT_SYMLINK_NOFOLLOW.
const (
	atFDCWD           = -0x64
	atSymlinkNoFollow = 0x100
)

// lstatBytes is syscall.Lstat over a path already NUL-terminated: the
// same fstatat system call, without converting (and allocating) the path
// on every call.
func lstatBytes(p *cpath, st *syscall.Stat_t) syscall.Errno {
	fd := atFDCWD
	_, _, errno := syscall.Syscall6(sysFstatat, uintptr(fd), uintptr(unsafe.Pointer(&p.b[0])), uintptr(unsafe.Pointer(st)), atSymlinkNoFollow, 0, 0)
	return errno
}
