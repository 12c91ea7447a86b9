package filestore

import (
	"context"
	"errors"
	"io/fs"
	"path/filepath"

	"github.com/mpdata/mp/adapters/internal/securefile"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
)

// SecretMaxSize is the largest value SecretStore keeps: the 1 MiB limit of
// credential files.
const SecretMaxSize = securefile.MaxSize

// SecretStore is a ports.SecretStore over the OAuth token sets of the
// storage root: the token-set kind of account <name> is
// <root>/accounts/<name>/tokens.json — the very file TokenStore reads and
// writes, following the credential-file rules of docs/reference/files.md (0600
// in 0700 directories, atomic writes, unsafe files refused with
// CREDENTIAL_FILE_UNSAFE).
//
// It keeps token sets only. The file backend's service-account secrets and
// static tokens are inline in config.toml, where the Python tool reads
// them: they belong to the ConfigStore (and its own contract suite), so
// keys of those kinds are refused with an error matching
// ports.ErrUnsupportedKind.
type SecretStore struct {
	root string
	home string
}

var _ ports.SecretStore = (*SecretStore)(nil)

// SecretKinds returns the kinds SecretStore keeps: token sets.
func SecretKinds() []ports.SecretKind { return []ports.SecretKind{ports.SecretTokenSet} }

// secretFileName returns the file of a kind in the account directory ("" for
// a kind the store does not keep).
func secretFileName(kind ports.SecretKind) string {
	switch kind {
	case ports.SecretTokenSet:
		return tokensFileName
	}
	return ""
}

// NewSecretStore returns the store under the storage root (~/.mp by
// default); home plays the same part as in NewConfigStore.
func NewSecretStore(root, home string) *SecretStore {
	return &SecretStore{root: root, home: home}
}

// Path returns the file that holds key (the key is not validated; "" for
// a kind the store does not keep).
func (s *SecretStore) Path(key ports.SecretKey) string {
	name := secretFileName(key.Kind)
	if name == "" {
		return ""
	}
	return filepath.Join(s.root, "accounts", string(key.Account), name)
}

// path validates key and returns its file.
func (s *SecretStore) path(ctx context.Context, key ports.SecretKey) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	if err := ports.ValidateSecretKey(key); err != nil {
		return "", err
	}
	name := secretFileName(key.Kind)
	if name == "" {
		return "", domain.NewError(domain.CodeInvalidArgument,
			"the file secret store keeps only OAuth token sets (accounts/<name>/tokens.json), not the %s of account '%s'", key.Kind, key.Account).
			WithDetail("account", string(key.Account)).
			WithHint("with the file backend a service account's secret and a static token are inline in config.toml: read and write them through the ConfigStore").
			WithCause(ports.ErrUnsupportedKind)
	}
	return accountFile(s.root, key.Account, name)
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

// Delete implements ports.SecretStore. A symlinked directory on the way, or
// a symlink, directory or other non-regular file at the leaf, is refused
// (CREDENTIAL_FILE_UNSAFE naming the path), never removed or followed.
func (s *SecretStore) Delete(ctx context.Context, key ports.SecretKey) error {
	p, err := s.path(ctx, key)
	if err != nil {
		return err
	}
	if _, err := securefile.RemoveFile(p, securefile.Options{Home: s.home}); err != nil {
		if domain.CodeOf(err) != "" {
			return err
		}
		return domain.NewError(domain.CodeConfigError, "cannot delete the %s of account '%s' at %s", key.Kind, key.Account, p).
			WithDetail("account", string(key.Account)).
			WithDetail("path", p).
			WithHint("check the permissions of %s, or remove the file yourself", filepath.Dir(p)).
			WithCause(err)
	}
	return nil
}
