package securefile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// ReadFile returns the contents of the credential file at path after
// checking the safety rules (see the package documentation). A missing file
// yields an error matching fs.ErrNotExist; every refusal is a *domain.Error
// with code CREDENTIAL_FILE_UNSAFE.
func ReadFile(path string, opts Options) ([]byte, error) {
	data, _, err := ReadFileInfo(path, opts)
	return data, err
}

// ReadFileInfo is ReadFile that also returns what the opened file was when
// it was read (its fstat, after every check passed), so that a caller can
// later tell by a stat of the path whether the file is still the one it
// read.
func ReadFileInfo(path string, opts Options) ([]byte, fs.FileInfo, error) {
	path, err := absolute(path)
	if err != nil {
		return nil, nil, err
	}
	if err := checkDirs(opRead, path, opts); err != nil {
		return nil, nil, err
	}
	before, err := os.Lstat(path)
	if err != nil {
		return nil, nil, err
	}
	if err := checkLeaf(opRead, path, before); err != nil {
		return nil, nil, err
	}
	if err := checkContent(opRead, path, before); err != nil {
		return nil, nil, err
	}

	f, err := openNoFollow(path)
	if err != nil {
		if errors.Is(err, syscall.ELOOP) {
			return nil, nil, unsafe(opRead, path, "it became a symbolic link while being opened",
				fmt.Sprintf("remove the symlink (rm %s) and put the real file at that path, with mode 0600", path))
		}
		return nil, nil, err
	}
	defer func() { _ = f.Close() }()

	// The file may have been swapped between Lstat and open — another mp
	// process's atomic rename does exactly that, so a swap is not an error
	// in itself. What was actually opened (without following a symlink) is
	// checked again below, so a swapped-in file must pass every rule too.
	after, err := f.Stat()
	if err != nil {
		return nil, nil, fmt.Errorf("read %s: %w", path, err)
	}
	if err := checkLeaf(opRead, path, after); err != nil {
		return nil, nil, err
	}
	if err := checkContent(opRead, path, after); err != nil {
		return nil, nil, err
	}
	if opts.Check != nil {
		if err := opts.Check(after); err != nil {
			return nil, nil, err
		}
	}

	data, err := readAll(io.LimitReader(f, MaxSize+1), after.Size())
	if err != nil {
		return nil, nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(data) > MaxSize {
		return nil, nil, unsafe(opRead, path, "it grew beyond the 1 MiB limit for credential files while being read",
			fmt.Sprintf("check what writes it, then move it aside (mv %s %s.bak)", path, path))
	}
	return data, after, nil
}

// readAll is io.ReadAll into a buffer sized for the size the file had when
// opened (at most MaxSize), one byte more to see the end: one allocation
// and no copy for a file that does not change while it is read, where
// io.ReadAll grows its buffer step by step (about twice the file).
func readAll(r io.Reader, size int64) ([]byte, error) {
	if size < 0 || size > MaxSize {
		size = MaxSize
	}
	buf := make([]byte, 0, size+1)
	for {
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)] // grew while read: make room
		}
	}
}
