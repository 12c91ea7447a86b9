package ports

import (
	"context"
	"errors"

	"github.com/mpdata/mp/domain"
)

// SecretKind says which of an account's secrets a SecretKey names.
type SecretKind string

// The secrets an account can have.
const (
	// SecretServiceAccount is a service account's secret.
	SecretServiceAccount SecretKind = "secret"
	// SecretStaticToken is an oauth_token account's inline bearer.
	SecretStaticToken SecretKind = "token"
	// SecretTokenSet is an oauth_browser account's token set: the JSON
	// document of docs/reference/files.md (the bytes of tokens.json).
	SecretTokenSet SecretKind = "tokens"
)

// SecretKinds returns every kind, in a fixed order.
func SecretKinds() []SecretKind {
	return []SecretKind{SecretServiceAccount, SecretStaticToken, SecretTokenSet}
}

// Valid reports whether k is one of the kinds above.
func (k SecretKind) Valid() bool {
	switch k {
	case SecretServiceAccount, SecretStaticToken, SecretTokenSet:
		return true
	}
	return false
}

// SecretKey names one stored secret: an account's secret of one kind.
type SecretKey struct {
	Account domain.AccountName
	Kind    SecretKind
}

// String renders the key as "<account>/<kind>" (no secret in it).
func (k SecretKey) String() string { return string(k.Account) + "/" + string(k.Kind) }

// SecretError is the type of the sentinel errors of SecretStore. The
// errors a store returns match them with errors.Is; they are usually a
// *domain.Error that says what failed and how to fix it.
type SecretError string

// Error implements error.
func (e SecretError) Error() string { return string(e) }

// The sentinel errors of SecretStore.
const (
	// ErrNotFound: no secret is stored under the key.
	ErrNotFound SecretError = "secret not found"
	// ErrTooLarge: the value is larger than the store can hold.
	ErrTooLarge SecretError = "secret too large for the store"
	// ErrUnavailable: the store cannot be reached (e.g. no keychain
	// service, or it did not answer in time). Errors matching it are a
	// *domain.Error with code SECRET_STORE_UNAVAILABLE.
	ErrUnavailable SecretError = "secret store unavailable"
	// ErrReadOnly: the store only reads secrets (e.g. an external command).
	ErrReadOnly SecretError = "secret store is read-only"
	// ErrUnsupportedKind: the store does not keep secrets of the key's
	// kind (e.g. the file store keeps only token sets: inline secrets
	// belong to the ConfigStore).
	ErrUnsupportedKind SecretError = "secret kind not kept by this store"
)

// SecretStore keeps opaque secret bytes per (account, kind). Typed handling
// (service-account secrets, bearers, token sets) lives in app, over it, so
// a new backend implements only bytes.
//
// Get returns a copy of the stored bytes, or an error matching ErrNotFound.
// Set replaces the value (an empty value is allowed); a value over the
// store's limit is refused with an error matching ErrTooLarge and nothing
// changes. A store may keep only some kinds; a key of another kind is
// refused by every method with an error matching ErrUnsupportedKind. Delete removes the value; deleting a missing key is not an
// error. A store that cannot be reached returns an error matching
// ErrUnavailable, never a silent fall back to another store. Every method
// returns ctx's error (matching context.Canceled or DeadlineExceeded) when
// ctx is done before it finishes. Errors never contain the secret.
type SecretStore interface {
	Get(ctx context.Context, key SecretKey) ([]byte, error)
	Set(ctx context.Context, key SecretKey, value []byte) error
	Delete(ctx context.Context, key SecretKey) error
}

// ValidateSecretKey checks the key's account name and kind (INVALID_ARGUMENT).
// Stores call it before using a key.
func ValidateSecretKey(key SecretKey) error {
	if _, err := domain.ParseAccountName(string(key.Account)); err != nil {
		return err
	}
	if !key.Kind.Valid() {
		return domain.NewError(domain.CodeInvalidArgument, "unknown secret kind %q", string(key.Kind)).
			WithHint("use one of secret, token, tokens")
	}
	return nil
}

// IsNotFound reports whether err matches ErrNotFound.
func IsNotFound(err error) bool { return errors.Is(err, ErrNotFound) }

// RefreshLocker is the cross-process refresh lock of oauth_browser accounts
// (accounts/<name>/.refresh.lock for every secret backend). Any
// ports.TokenStore is one.
type RefreshLocker interface {
	LockRefresh(ctx context.Context, account domain.AccountName) (unlock func(), err error)
}
