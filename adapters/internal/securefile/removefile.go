package securefile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// RemoveFile deletes the regular file at path; removed says whether there
// was one. A missing path is not an error. It refuses
// (CREDENTIAL_FILE_UNSAFE) a symlink at path — the link is left for the
// user to inspect, and its target is never touched — anything that is not
// a regular file, and a symlinked directory above it below the trust root.
// The temporary files of path that a killed writer left are removed too, so
// no copy of the removed content stays beside it.
func RemoveFile(path string, opts Options) (removed bool, err error) {
	path, err = absolute(path)
	if err != nil {
		return false, err
	}
	if err := checkDirs(opRemove, path, opts); err != nil {
		return false, err
	}
	sweepTemps(path) // a copy of what is removed must not survive beside it
	fi, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("remove %s: %w", path, err)
	case fi.Mode()&fs.ModeSymlink != 0:
		return false, unsafe(opRemove, path, "it is a symbolic link",
			fmt.Sprintf("check what it points to, then remove the link yourself (rm %s)", path))
	case !fi.Mode().IsRegular():
		return false, unsafe(opRemove, path, "it is "+kind(fi.Mode())+", not a regular file", notRegularHint(path, fi.Mode()))
	}
	if err := os.Remove(path); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return false, nil
		}
		return false, fmt.Errorf("remove %s: %w", path, err)
	}
	return true, nil
}
