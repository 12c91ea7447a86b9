package filestore

import (
	"context"
	"path/filepath"

	"github.com/mpdata/mp/adapters/internal/securefile"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
)

// AccountStorage is a ports.AccountStorage over <root>/accounts/<name>/.
type AccountStorage struct {
	root string
	home string
}

var _ ports.AccountStorage = (*AccountStorage)(nil)

// NewAccountStorage returns the storage under root (the storage root,
// ~/.mp by default). home plays the same part as in NewConfigStore.
func NewAccountStorage(root, home string) *AccountStorage {
	return &AccountStorage{root: root, home: home}
}

// AccountDir returns the directory that holds the account's data.
func (s *AccountStorage) AccountDir(name domain.AccountName) string {
	return filepath.Join(s.root, "accounts", string(name))
}

// RemoveAccountData deletes <root>/accounts/<name>/ and everything in it.
// A missing directory is not an error. The name is validated first (it is
// the path-traversal defence), and a symlink at or above the directory is
// refused with CREDENTIAL_FILE_UNSAFE rather than followed.
func (s *AccountStorage) RemoveAccountData(ctx context.Context, name domain.AccountName) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if _, err := domain.ParseAccountName(string(name)); err != nil {
		return err
	}
	dir := s.AccountDir(name)
	// Belt and braces: whatever the name rules become, never leave
	// <root>/accounts.
	if filepath.Dir(dir) != filepath.Join(s.root, "accounts") || filepath.Base(dir) != string(name) {
		return domain.NewError(domain.CodeInvalidArgument, "account name '%s' does not map to a directory under %s", name, filepath.Join(s.root, "accounts"))
	}
	if err := securefile.RemoveAll(dir, securefile.Options{Home: s.home}); err != nil {
		if domain.CodeOf(err) != "" {
			return err
		}
		return domain.NewError(domain.CodeConfigError, "cannot remove the data of account '%s' in %s", name, dir).
			WithDetail("account", string(name)).
			WithDetail("path", dir).
			WithHint("check the permissions of %s", dir).
			WithCause(err)
	}
	return nil
}
