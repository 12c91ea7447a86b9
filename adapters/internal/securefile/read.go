package securefile

import (
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
)

// ReadFile returns the contents of the credential file at path after
// checking the safety rules (see the package documentation). A missing file
// yields an error matching fs.ErrNotExist; every refusal is a *domain.Error
// with code CREDENTIAL_FILE_UNSAFE.
func ReadFile(path string, opts Options) ([]byte, error) {
	path, err := absolute(path)
	if err != nil {
		return nil, err
	}
	if err := checkDirs(opRead, path, opts); err != nil {
		return nil, err
	}
	before, err := os.Lstat(path)
	if err != nil {
		return nil, err
	}
	if err := checkLeaf(opRead, path, before); err != nil {
		return nil, err
	}
	if err := checkContent(opRead, path, before); err != nil {
		return nil, err
	}

	f, err := openNoFollow(path)
	if err != nil {
		if errors.Is(err, syscall.ELOOP) {
			return nil, unsafe(opRead, path, "it became a symbolic link while being opened",
				fmt.Sprintf("remove the symlink (rm %s) and put the real file at that path, with mode 0600", path))
		}
		return nil, err
	}
	defer func() { _ = f.Close() }()

	// The file may have been swapped between Lstat and open — another mp
	// process's atomic rename does exactly that, so a swap is not an error
	// in itself. What was actually opened (without following a symlink) is
	// checked again below, so a swapped-in file must pass every rule too.
	after, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if err := checkLeaf(opRead, path, after); err != nil {
		return nil, err
	}
	if err := checkContent(opRead, path, after); err != nil {
		return nil, err
	}
	if opts.Check != nil {
		if err := opts.Check(after); err != nil {
			return nil, err
		}
	}

	data, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(data) > MaxSize {
		return nil, unsafe(opRead, path, "it grew beyond the 1 MiB limit for credential files while being read",
			fmt.Sprintf("check what writes it, then move it aside (mv %s %s.bak)", path, path))
	}
	return data, nil
}
