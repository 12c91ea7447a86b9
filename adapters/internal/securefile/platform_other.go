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
