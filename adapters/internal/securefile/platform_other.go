//go:build !unix

package securefile

import (
	"io/fs"
	"os"
)

// openNoFollow opens path for reading; the leaf was checked with Lstat just
// before, and the opened file is compared with it afterwards.
func openNoFollow(path string) (*os.File, error) { return os.Open(path) }

// lockFlags are the flags the lock file is opened with.
const lockFlags = os.O_CREATE | os.O_RDONLY

// checkMode has nothing to check where Unix permission bits do not exist.
func checkMode(string, string, fs.FileInfo) error { return nil }

// syncDir has nothing to do on Windows: a directory cannot be flushed
// there (FlushFileBuffers on a directory handle is ERROR_ACCESS_DENIED, so
// every write failed after the rename had succeeded), and NTFS journals
// the rename (MoveFileEx) itself. The file's own fsync still runs.
func syncDir(string) error { return nil }
