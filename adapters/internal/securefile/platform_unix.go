//go:build unix

package securefile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// openNoFollow opens path for reading without following a symlink at the
// leaf and without blocking on a FIFO swapped in after the checks.
func openNoFollow(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
}

// lockFlags are the flags the lock file is opened with.
const lockFlags = os.O_CREATE | os.O_RDONLY | syscall.O_NOFOLLOW

// checkMode refuses a file that grants group or others any access (it
// must be 0600 or stricter).
func checkMode(op, path string, fi fs.FileInfo) error {
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return unsafe(op, path, fmt.Sprintf("its mode %04o lets group or others access it", perm),
			fmt.Sprintf("chmod 600 %s", path))
	}
	return nil
}

// syncDir makes a rename in dir durable. File systems that cannot fsync a
// directory are tolerated.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer func() { _ = d.Close() }()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) && !errors.Is(err, syscall.ENOTSUP) {
		return err
	}
	return nil
}
