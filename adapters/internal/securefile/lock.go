package securefile

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"
	"time"

	"github.com/gofrs/flock"
)

// lockRetryDelay is how long Lock sleeps between attempts while another
// process holds the lock.
const lockRetryDelay = 10 * time.Millisecond

// Lock takes the exclusive advisory lock on path+".lock", creating the
// lock file (mode 0600) and its directory (mode 0700) when missing. It waits
// while another process holds the lock, for no longer than ctx allows; a
// cancelled or expired ctx yields an error matching ctx.Err(). Call the
// returned function to release the lock.
func Lock(ctx context.Context, path string, opts Options) (unlock func() error, err error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	path, err = absolute(path)
	if err != nil {
		return nil, err
	}
	lockPath := path + ".lock"
	// A path that holds a symlink, a directory or any other non-regular
	// file can never be written, so its lock is refused before the lock
	// file (or a directory) is created beside it.
	if fi, err := os.Lstat(path); err == nil {
		if err := checkLeaf(opLock, path, fi); err != nil {
			return nil, err
		}
	} else if !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR) {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if err := prepareDir(opLock, lockPath, opts); err != nil {
		return nil, err
	}
	if fi, err := os.Lstat(lockPath); err == nil {
		if err := checkLeaf(opLock, lockPath, fi); err != nil {
			return nil, err
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("lock %s: %w", lockPath, err)
	}

	fl := flock.New(lockPath, flock.SetFlag(lockFlags), flock.SetPermissions(0o600))
	ok, err := fl.TryLockContext(ctx, lockRetryDelay)
	if err != nil {
		return nil, fmt.Errorf("waiting for the lock on %s: %w", lockPath, err)
	}
	if !ok {
		return nil, fmt.Errorf("waiting for the lock on %s: not acquired", lockPath)
	}
	return fl.Unlock, nil
}
