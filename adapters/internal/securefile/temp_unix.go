//go:build unix

package securefile

import (
	"errors"
	"io/fs"
	"os"
	"syscall"
)

// renameWhileOpen: the flock that holds a temporary file lasts while it is
// open, so it is renamed before it is closed.
const renameWhileOpen = true

// holdTemp marks tmp as held by this live writer: an exclusive flock on its
// open file, which the kernel drops when the process dies, however it
// dies. held is false when a sweeper got there first (it holds the lock or
// already unlinked the file).
func holdTemp(tmp *os.File) (held bool, err error) {
	if err := syscall.Flock(int(tmp.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return false, nil
		}
		return false, err
	}
	var st syscall.Stat_t
	if err := syscall.Fstat(int(tmp.Fd()), &st); err != nil {
		return false, err
	}
	return st.Nlink > 0, nil
}

// openForSweep opens a candidate temporary file without following a
// symlink or blocking on a FIFO swapped in.
func openForSweep(p string) (*os.File, error) {
	return os.OpenFile(p, os.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
}

// claimTemp reports whether no live writer holds f; when so, this process
// now holds it until f is closed.
func claimTemp(f *os.File) (abandoned bool, err error) {
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return false, nil
		}
		return false, err
	}
	return true, nil
}

// removeIfAbandoned removes the temporary file at p unless a live writer
// holds it (its flock).
func removeIfAbandoned(p string) {
	fi, err := os.Lstat(p)
	if err != nil || !fi.Mode().IsRegular() {
		return
	}
	f, err := openForSweep(p)
	if err != nil {
		return
	}
	defer func() { _ = f.Close() }()
	if ofi, err := f.Stat(); err != nil || !os.SameFile(fi, ofi) {
		return
	}
	abandoned, err := claimTemp(f)
	if err != nil || !abandoned {
		return
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return
	}
}
