package securefile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/mpdata/mp/domain"
)

// MaxSize is the largest credential file ReadFile accepts: 1 MiB.
const MaxSize = 1 << 20

// Options say where trust starts.
type Options struct {
	// Home is the user's home directory. For a path under Home, every
	// directory below Home down to the file must be a real directory, not a
	// symlink (Home itself may be one). For a path elsewhere, or when Home
	// is empty, the check starts at the file's own directory.
	Home string
	// Check, when set, is called by ReadFile with what the opened file is
	// (the Stat of the open descriptor, after the other checks passed), so
	// that a caller's own rule — such as "owned by the current user" — is
	// checked on the very file that is read, not on a path that may have
	// been swapped in between. Its error is returned as is.
	Check func(fs.FileInfo) error
}

// The operations, as they appear in refusals.
const (
	opRead   = "read"
	opWrite  = "write"
	opLock   = "lock"
	opRemove = "remove"
)

// unsafe builds the refusal for path.
func unsafe(op, path, problem, hint string) *domain.Error {
	return domain.NewError(domain.CodeCredentialFileUnsafe, "refusing to %s %s: %s", op, path, problem).
		WithDetail("path", path).
		WithHint("%s", hint)
}

// absolute returns path as a clean absolute path.
func absolute(path string) (string, error) {
	if path == "" {
		return "", domain.NewError(domain.CodeInvalidArgument, "empty credential file path")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", fmt.Errorf("resolve %s: %w", path, err)
	}
	return abs, nil
}

// trustRoot returns the directory at which the symlink check of the
// directories above path stops.
func trustRoot(path string, opts Options) string {
	dir := filepath.Dir(path)
	if opts.Home == "" {
		return dir
	}
	home, err := filepath.Abs(opts.Home)
	if err != nil {
		return dir
	}
	rel, err := filepath.Rel(home, dir)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return dir
	}
	return home
}

// checkDirs refuses a symlinked directory strictly below the trust root on
// the way to path. Directories that do not exist yet are fine: whoever
// creates them creates real directories.
func checkDirs(op, path string, opts Options) error {
	root := trustRoot(path, opts)
	for d := filepath.Dir(path); d != root; d = filepath.Dir(d) {
		fi, err := os.Lstat(d)
		switch {
		case errors.Is(err, fs.ErrNotExist):
		case err != nil:
			return fmt.Errorf("%s %s: %w", op, path, err)
		case fi.Mode()&fs.ModeSymlink != 0:
			return unsafe(op, path, fmt.Sprintf("directory %s is a symbolic link", d),
				fmt.Sprintf("replace the symlinked directory %s with a real directory (remove the symlink and move the files it points to into its place)", d))
		case !fi.IsDir():
			return unsafe(op, path, fmt.Sprintf("%s is not a directory", d),
				fmt.Sprintf("check what %s is and choose a path below a real directory (or rename %s so that a directory can take its place)", d, d))
		}
		if parent := filepath.Dir(d); parent == d {
			break
		}
	}
	return nil
}

// checkLeaf refuses a leaf that is a symlink or not a regular file.
func checkLeaf(op, path string, fi fs.FileInfo) error {
	if fi.Mode()&fs.ModeSymlink != 0 {
		problem := "it is a symbolic link"
		if dest, err := os.Readlink(path); err == nil {
			problem += " to " + dest
			if _, err := os.Stat(path); err != nil {
				problem = "it is a dangling symbolic link to " + dest
			}
		}
		return unsafe(op, path, problem,
			fmt.Sprintf("remove the symlink (rm %s) and put the real file at that path, with mode 0600", path))
	}
	if !fi.Mode().IsRegular() {
		return unsafe(op, path, "it is "+kind(fi.Mode())+", not a regular file", notRegularHint(path, fi.Mode()))
	}
	return nil
}

// notRegularHint is the hint for a path that holds something other than a
// regular file. It never suggests removing it: a directory given by
// mistake may well be the user's home.
func notRegularHint(path string, m fs.FileMode) string {
	if m.IsDir() {
		return fmt.Sprintf("%s is a directory: give the path of a file", path)
	}
	return fmt.Sprintf("check what %s is (mp never creates %s there) and give the path of a regular file instead", path, kind(m))
}

// checkContent refuses a regular file that is too large or too open.
func checkContent(op, path string, fi fs.FileInfo) error {
	if err := checkMode(op, path, fi); err != nil {
		return err
	}
	if fi.Size() > MaxSize {
		return unsafe(op, path, fmt.Sprintf("it is %d bytes, more than the %d-byte (1 MiB) limit for credential files", fi.Size(), MaxSize),
			fmt.Sprintf("check what wrote it, then move it aside (mv %s %s.bak)", path, path))
	}
	return nil
}

// kind names a non-regular file mode.
func kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeIrregular != 0:
		return "an irregular file"
	default:
		return "a special file"
	}
}
