package securefile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// WriteFile atomically replaces the file at path with data, mode 0600,
// creating missing directories with mode 0700 (see the package
// documentation for the steps). It refuses to write through a symlink at
// path or a symlinked directory above it; on failure the previous file is
// intact and no temporary file is left behind. Before writing it removes
// the temporary files of path that a killed writer left (see sweepTemps);
// its own is held (flock) until it is renamed, so no other writer's sweep
// can take it.
func WriteFile(path string, data []byte, opts Options) error {
	return writeFile(path, data, opts, os.Rename)
}

// writeFile is WriteFile with the rename step injectable, so tests can make
// the last step fail.
func writeFile(path string, data []byte, opts Options, rename func(from, to string) error) (err error) {
	path, err = absolute(path)
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	if err := prepareDir(opWrite, path, opts); err != nil {
		return err
	}
	if fi, err := os.Lstat(path); err == nil {
		if err := checkLeaf(opWrite, path, fi); err != nil {
			return err
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("write %s: %w", path, err)
	}

	sweepTemps(path)
	tmp, err := createTemp(path)
	if err != nil {
		return fmt.Errorf("write %s: create temporary file: %w", path, err)
	}
	tmpName := tmp.Name()
	renamed, closed := false, false
	defer func() {
		if !closed {
			_ = tmp.Close()
		}
		if !renamed {
			_ = os.Remove(tmpName)
		}
	}()
	if err := tmp.Chmod(0o600); err != nil {
		return fmt.Errorf("write %s: set mode 0600: %w", path, err)
	}
	if _, err := tmp.Write(data); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("write %s: fsync: %w", path, err)
	}
	// Where the open file is what holds it against sweeps (flock), it stays
	// open across the rename; elsewhere an open file cannot be renamed.
	if !renameWhileOpen {
		closed = true
		if err := tmp.Close(); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
	}
	if err := rename(tmpName, path); err != nil {
		return fmt.Errorf("write %s: replace: %w", path, err)
	}
	renamed = true
	if !closed {
		closed = true
		if err := tmp.Close(); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
	}
	if err := syncDir(dir); err != nil {
		return fmt.Errorf("write %s: fsync directory %s: %w", path, dir, err)
	}
	return nil
}

// CheckWritable reports whether WriteFile could replace path, without
// creating or changing anything: no symlinked directory above it below the
// trust root, and at path nothing, or a regular file (not a symlink, a
// directory …). Refusals are those of WriteFile.
func CheckWritable(path string, opts Options) error {
	path, err := absolute(path)
	if err != nil {
		return err
	}
	if err := checkDirs(opWrite, path, opts); err != nil {
		return err
	}
	fi, err := os.Lstat(path)
	switch {
	case err == nil:
		return checkLeaf(opWrite, path, fi)
	case errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR):
		return nil
	default:
		return fmt.Errorf("write %s: %w", path, err)
	}
}

// prepareDir checks the directories above path, creates the missing ones
// with mode 0700 and checks again (something may have raced in).
func prepareDir(op, path string, opts Options) error {
	if err := checkDirs(op, path, opts); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("%s %s: create directory: %w", op, path, err)
	}
	return checkDirs(op, path, opts)
}
