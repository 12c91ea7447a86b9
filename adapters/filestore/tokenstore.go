package filestore

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"sync"

	"github.com/mpdata/mp/adapters/internal/securefile"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
)

// tokensFileName is the name of the tokens file in an account directory.
const tokensFileName = "tokens.json"

// refreshLockBase is the path, relative to the account directory, that
// securefile.Lock appends ".lock" to: the lock file is ".refresh.lock".
const refreshLockBase = ".refresh"

// TokenStore is a ports.TokenStore over <root>/accounts/<name>/tokens.json
// (docs/reference/files.md): a JSON object with access_token, expires_at (RFC 3339,
// written with "+00:00", to the second), token_type, scope, refresh_token
// (only when there is one) and client_id. Readers accept "Z" or any
// offset and reject timestamps without one; unknown keys are ignored, so a
// file the Python tool wrote loads (its client_id is then empty).
//
// The file follows the credential-file rules of docs/reference/files.md: written atomically
// with mode 0600 in directories of mode 0700, read only when safe (an
// unsafe file is CREDENTIAL_FILE_UNSAFE). A file that is not a tokens
// document is OAUTH_TOKEN_ERROR naming the file and the fix
// (`mp account login NAME`).
//
// LockRefresh takes the exclusive advisory lock on
// <root>/accounts/<name>/.refresh.lock, which excludes other processes and
// other lockers in this process alike.
type TokenStore struct {
	root string
	home string
}

var _ ports.TokenStore = (*TokenStore)(nil)

// NewTokenStore returns the store under the storage root (~/.mp by
// default). home plays the same part as in NewConfigStore: below it no
// directory on the way to a file may be a symlink.
func NewTokenStore(root, home string) *TokenStore {
	return &TokenStore{root: root, home: home}
}

// Path returns the tokens file of account.
func (s *TokenStore) Path(account domain.AccountName) string {
	return filepath.Join(s.root, "accounts", string(account), tokensFileName)
}

// LockPath returns the refresh lock file of account.
func (s *TokenStore) LockPath(account domain.AccountName) string {
	return filepath.Join(s.root, "accounts", string(account), refreshLockBase+".lock")
}

// path validates the account name (the path-traversal defence) and returns
// its tokens file.
func (s *TokenStore) path(account domain.AccountName) (string, error) {
	return accountFile(s.root, account, tokensFileName)
}

// accountFile returns <root>/accounts/<account>/<name> after checking
// that the account name is valid and maps to a directory right below
// <root>/accounts.
func accountFile(root string, account domain.AccountName, name string) (string, error) {
	if _, err := domain.ParseAccountName(string(account)); err != nil {
		return "", err
	}
	accounts := filepath.Join(root, "accounts")
	p := filepath.Join(accounts, string(account), name)
	if filepath.Dir(filepath.Dir(p)) != accounts || filepath.Base(filepath.Dir(p)) != string(account) {
		return "", domain.NewError(domain.CodeInvalidArgument, "account name '%s' does not map to a directory under %s", account, accounts)
	}
	return p, nil
}

// loginHint is the fix for tokens that cannot be used.
func loginHint(account domain.AccountName) string {
	return fmt.Sprintf("log in again: mp account login %s", account)
}

// Load reads the account's tokens. A missing file is ok == false; an
// unsafe file is CREDENTIAL_FILE_UNSAFE; a corrupt one OAUTH_TOKEN_ERROR.
func (s *TokenStore) Load(ctx context.Context, account domain.AccountName) (domain.Tokens, bool, error) {
	if err := ctx.Err(); err != nil {
		return domain.Tokens{}, false, err
	}
	p, err := s.path(account)
	if err != nil {
		return domain.Tokens{}, false, err
	}
	data, err := securefile.ReadFile(p, securefile.Options{Home: s.home})
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return domain.Tokens{}, false, nil
	case domain.CodeOf(err) != "":
		return domain.Tokens{}, false, err
	case err != nil:
		return domain.Tokens{}, false, domain.NewError(domain.CodeOAuthTokenError, "cannot read the tokens of account '%s' at %s", account, p).
			WithDetail("account", string(account)).
			WithDetail("path", p).
			WithHint("check the permissions of %s (it must be readable by you, mode 0600)", p).
			WithCause(err)
	}
	tokens, err := decodeTokensFile(data)
	if err != nil {
		return domain.Tokens{}, false, domain.NewError(domain.CodeOAuthTokenError, "the tokens file of account '%s' at %s is corrupt", account, p).
			WithDetail("account", string(account)).
			WithDetail("path", p).
			WithHint("%s (it replaces %s)", loginHint(account), p).
			WithCause(err)
	}
	return tokens, true, nil
}

// Save writes the tokens atomically, replacing the previous file. Tokens
// without an access token are refused (OAUTH_TOKEN_ERROR) and nothing is
// written.
func (s *TokenStore) Save(ctx context.Context, account domain.AccountName, tokens domain.Tokens) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	p, err := s.path(account)
	if err != nil {
		return err
	}
	if tokens.AccessToken.IsZero() {
		return domain.NewError(domain.CodeOAuthTokenError, "refusing to save tokens without an access_token for account '%s'", account).
			WithDetail("account", string(account))
	}
	data, err := encodeTokensFile(tokens)
	if err != nil {
		return domain.NewError(domain.CodeOAuthTokenError, "cannot encode the tokens of account '%s'", account).
			WithDetail("account", string(account)).
			WithCause(err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := securefile.WriteFile(p, data, securefile.Options{Home: s.home}); err != nil {
		if domain.CodeOf(err) != "" {
			return err
		}
		return domain.NewError(domain.CodeOAuthTokenError, "cannot write the tokens of account '%s' at %s", account, p).
			WithDetail("account", string(account)).
			WithDetail("path", p).
			WithHint("check that %s is writable", filepath.Dir(p)).
			WithCause(err)
	}
	return nil
}

// Delete removes the tokens file; existed says whether there was one. A
// symlinked directory on the way to it, or a symlink, directory or other
// non-regular file at its path, is refused (CREDENTIAL_FILE_UNSAFE naming
// the path), never removed or followed.
func (s *TokenStore) Delete(ctx context.Context, account domain.AccountName) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	p, err := s.path(account)
	if err != nil {
		return false, err
	}
	removed, err := securefile.RemoveFile(p, securefile.Options{Home: s.home})
	switch {
	case err == nil:
		return removed, nil
	case domain.CodeOf(err) != "":
		return false, err
	default:
		return false, domain.NewError(domain.CodeOAuthTokenError, "cannot delete the tokens of account '%s' at %s", account, p).
			WithDetail("account", string(account)).
			WithDetail("path", p).
			WithHint("check the permissions of %s, or remove the file yourself", filepath.Dir(p)).
			WithCause(err)
	}
}

// LockRefresh takes the account's refresh lock, waiting while another
// process (or another locker in this one) holds it, until ctx is done.
// When ctx's deadline passes first the error is OAUTH_REFRESH_ERROR with
// Details["retryable"] = true that also matches context.DeadlineExceeded;
// a cancelled ctx yields an error matching context.Canceled. unlock is
// safe to call more than once.
func (s *TokenStore) LockRefresh(ctx context.Context, account domain.AccountName) (func(), error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	p, err := accountFile(s.root, account, refreshLockBase)
	if err != nil {
		return nil, err
	}
	if refreshLockDisabled {
		return func() {}, nil
	}
	release, err := securefile.Lock(ctx, p, securefile.Options{Home: s.home})
	switch {
	case err == nil:
	case errors.Is(err, context.DeadlineExceeded):
		return nil, domain.NewError(domain.CodeOAuthRefreshError, "another mp process is refreshing the tokens of account '%s' (the lock %s stayed taken)", account, p+".lock").
			WithDetail("account", string(account)).
			WithDetail("path", p+".lock").
			WithDetail("retryable", true).
			WithHint("try again in a moment").
			WithCause(err)
	case domain.CodeOf(err) != "" || ctx.Err() != nil:
		return nil, err
	default:
		return nil, domain.NewError(domain.CodeOAuthRefreshError, "cannot take the refresh lock of account '%s' at %s", account, p+".lock").
			WithDetail("account", string(account)).
			WithDetail("path", p+".lock").
			WithHint("check that %s is writable", filepath.Dir(p)).
			WithCause(err)
	}
	var once sync.Once
	return func() { once.Do(func() { _ = release() }) }, nil
}
