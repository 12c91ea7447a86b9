package filestore

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/mpdata/mp/adapters/internal/securefile"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
)

// SecretMaxSize is the largest value SecretStore keeps: the 1 MiB limit of
// credential files.
const SecretMaxSize = securefile.MaxSize

// secretFileNames maps each kind to its file in the account directory. The
// token set is tokens.json itself, so the bytes TokenStore writes and the
// ones SecretStore holds are the same file.
var secretFileNames = map[ports.SecretKind]string{
	ports.SecretServiceAccount: "secret",
	ports.SecretStaticToken:    "token",
	ports.SecretTokenSet:       tokensFileName,
}

// SecretStore is a ports.SecretStore over files in
// <root>/accounts/<name>/: "secret" (a service account's secret), "token"
// (a static bearer) and tokens.json (an oauth_browser token set — the file
// TokenStore reads and writes). Every file follows the credential-file
// rules of behavior.md §3.6 (0600 in 0700 directories, atomic writes,
// unsafe files refused with CREDENTIAL_FILE_UNSAFE).
//
// mp itself keeps the file backend's service-account secrets and static
// tokens inline in config.toml, where the Python tool reads them; the
// "secret" and "token" files exist for library users and for the contract.
type SecretStore struct {
	root string
	home string
}

var _ ports.SecretStore = (*SecretStore)(nil)

// NewSecretStore returns the store under the storage root (~/.mp by
// default); home plays the same part as in NewConfigStore.
func NewSecretStore(root, home string) *SecretStore {
	return &SecretStore{root: root, home: home}
}

// Path returns the file that holds key (the key is not validated).
func (s *SecretStore) Path(key ports.SecretKey) string {
	return filepath.Join(s.root, "accounts", string(key.Account), secretFileNames[key.Kind])
}

// path validates key and returns its file.
func (s *SecretStore) path(ctx context.Context, key ports.SecretKey) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	if err := ports.ValidateSecretKey(key); err != nil {
		return "", err
	}
	return accountFile(s.root, key.Account, secretFileNames[key.Kind])
}

// Get implements ports.SecretStore. A missing file matches
// ports.ErrNotFound; an unsafe one is CREDENTIAL_FILE_UNSAFE.
func (s *SecretStore) Get(ctx context.Context, key ports.SecretKey) ([]byte, error) {
	p, err := s.path(ctx, key)
	if err != nil {
		return nil, err
	}
	data, err := securefile.ReadFile(p, securefile.Options{Home: s.home})
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, domain.NewError(domain.CodeConfigError, "no %s stored for account '%s' (%s does not exist)", key.Kind, key.Account, p).
			WithDetail("account", string(key.Account)).
			WithDetail("path", p).
			WithCause(ports.ErrNotFound)
	case domain.CodeOf(err) != "":
		return nil, err
	case err != nil:
		return nil, domain.NewError(domain.CodeConfigError, "cannot read the %s of account '%s' at %s", key.Kind, key.Account, p).
			WithDetail("account", string(key.Account)).
			WithDetail("path", p).
			WithHint("check the permissions of %s (it must be readable by you, mode 0600)", p).
			WithCause(err)
	}
	if data == nil {
		data = []byte{}
	}
	return data, nil
}

// Set implements ports.SecretStore: an atomic write of a 0600 file.
func (s *SecretStore) Set(ctx context.Context, key ports.SecretKey, value []byte) error {
	p, err := s.path(ctx, key)
	if err != nil {
		return err
	}
	if len(value) > SecretMaxSize {
		return domain.NewError(domain.CodeInvalidArgument, "the %s of account '%s' is %d bytes: over the %d-byte limit of credential files", key.Kind, key.Account, len(value), SecretMaxSize).
			WithDetail("account", string(key.Account)).
			WithHint("a Mixpanel credential is far smaller; check what produced this value").
			WithCause(ports.ErrTooLarge)
	}
	if err := securefile.WriteFile(p, value, securefile.Options{Home: s.home}); err != nil {
		if domain.CodeOf(err) != "" {
			return err
		}
		return domain.NewError(domain.CodeConfigError, "cannot write the %s of account '%s' at %s", key.Kind, key.Account, p).
			WithDetail("account", string(key.Account)).
			WithDetail("path", p).
			WithHint("check that %s is writable", filepath.Dir(p)).
			WithCause(err)
	}
	return nil
}

// Delete implements ports.SecretStore. A symlinked directory on the way is
// refused (CREDENTIAL_FILE_UNSAFE); a symlink at the leaf is removed, not
// followed.
func (s *SecretStore) Delete(ctx context.Context, key ports.SecretKey) error {
	p, err := s.path(ctx, key)
	if err != nil {
		return err
	}
	if err := checkDirsBelowHome(p, s.home); err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return domain.NewError(domain.CodeConfigError, "cannot delete the %s of account '%s' at %s", key.Kind, key.Account, p).
			WithDetail("account", string(key.Account)).
			WithDetail("path", p).
			WithHint("check the permissions of %s, or remove the file yourself", filepath.Dir(p)).
			WithCause(err)
	}
	return nil
}
