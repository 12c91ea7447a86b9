package mp

import (
	"context"

	"github.com/mpdata/mp/ports"
)

// Keychain is a store of secrets outside config.toml that a handle uses
// only when it is given one with WithKeychain — in practice the OS
// keychain of package github.com/mpdata/mp/keychain:
//
//	ws, err := mp.Open(ctx, keychain.Enable())
//
// It keeps opaque bytes per account and kind ("secret" for a service
// account's secret, "token" for a static bearer, "tokens" for an OAuth
// token set). Get of a missing value returns an error matching
// ErrSecretNotFound; a store that cannot be reached returns an error
// matching ErrSecretStoreUnavailable, never a fall back to another store;
// Delete of a missing value is not an error. Errors never contain the
// secret. Programs rarely implement it themselves.
type Keychain interface {
	Get(ctx context.Context, account, kind string) ([]byte, error)
	Set(ctx context.Context, account, kind string, value []byte) error
	Delete(ctx context.Context, account, kind string) error
}

// The errors a Keychain matches (errors.Is) for a missing value and an
// unreachable store.
var (
	ErrSecretNotFound         error = ports.ErrNotFound
	ErrSecretStoreUnavailable error = ports.ErrUnavailable
)

// WithKeychain gives the handle a keychain store, usually keychain.Enable()
// of package github.com/mpdata/mp/keychain. Without it the library does
// not link the keychain stack (go-keyring, D-Bus, the Windows Credential
// Manager), and an account whose secret or tokens are kept in the
// keychain — or a write the keychain backend would take — fails with
// SECRET_STORE_UNAVAILABLE naming keychain.Enable(). The mp command always
// has the keychain. See docs/library.md.
func WithKeychain(store Keychain) Option {
	return openOption(func(c *openConfig) { c.keychain = store })
}

// keychainPort adapts a Keychain to the secret-store port of the use cases.
type keychainPort struct{ kc Keychain }

func (p keychainPort) Get(ctx context.Context, key ports.SecretKey) ([]byte, error) {
	return p.kc.Get(ctx, string(key.Account), string(key.Kind))
}

func (p keychainPort) Set(ctx context.Context, key ports.SecretKey, value []byte) error {
	return p.kc.Set(ctx, string(key.Account), string(key.Kind), value)
}

func (p keychainPort) Delete(ctx context.Context, key ports.SecretKey) error {
	return p.kc.Delete(ctx, string(key.Account), string(key.Kind))
}
