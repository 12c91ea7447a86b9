package securefile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// RemoveAll deletes the directory at path and everything in it. A missing
// path is not an error. It refuses (CREDENTIAL_FILE_UNSAFE) when path is a
// symlink or not a directory, or when a directory above it, below the trust
// root, is a symlink — so it never deletes anything outside the tree it was
// pointed at. Symlinks inside the tree are removed, not followed.
func RemoveAll(path string, opts Options) error {
	path, err := absolute(path)
	if err != nil {
		return err
	}
	if err := checkDirs(opRemove, path, opts); err != nil {
		return err
	}
	fi, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("remove %s: %w", path, err)
	case fi.Mode()&fs.ModeSymlink != 0:
		return unsafe(opRemove, path, "it is a symbolic link",
			fmt.Sprintf("remove the symlink yourself (rm %s) after checking what it points to", path))
	case !fi.IsDir():
		return unsafe(opRemove, path, "it is "+kindOrFile(fi.Mode())+", not a directory",
			fmt.Sprintf("check what %s is and remove it yourself", path))
	}
	if err := os.RemoveAll(path); err != nil {
		return fmt.Errorf("remove %s: %w", path, err)
	}
	return nil
}

func kindOrFile(m fs.FileMode) string {
	if m.IsRegular() {
		return "a regular file"
	}
	return kind(m)
}
