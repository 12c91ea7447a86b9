package keychain

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/mpdata/mp/adapters/internal/secreterr"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
)

// DefaultService is the keychain service name mp's items live under.
const DefaultService = "mp"

// DefaultTimeout bounds every keychain call.
const DefaultTimeout = 3 * time.Second

// valuePrefix marks a value mp encoded (base64 follows).
const valuePrefix = "mp1:"

// MaxSize is the largest value (before encoding) the store accepts on this
// platform: the macOS keychain takes about 3000 bytes per item and the
// Windows Credential Manager 2560, base64 adds a third; the Secret
// Service has no hard limit, so it gets a generous 64 KiB.
func MaxSize() int {
	switch runtime.GOOS {
	case "darwin":
		return 2048
	case "windows":
		return 1800
	}
	return 64 << 10
}

// Keyring is the part of go-keyring the store uses; tests substitute it.
type Keyring interface {
	Set(service, user, password string) error
	Get(service, user string) (string, error)
	Delete(service, user string) error
}

// Options configure a Store. The zero value is the real keychain, service
// "mp", a 3 s timeout.
type Options struct {
	// Service is the keychain service name (DefaultService when empty).
	Service string
	// Timeout bounds each call (DefaultTimeout when zero).
	Timeout time.Duration
	// Keyring replaces the OS keychain (nil: go-keyring).
	Keyring Keyring
}

// Store is a ports.SecretStore over the OS keychain.
type Store struct {
	service string
	timeout time.Duration
	ring    Keyring
	// gate lets one call at a time talk to the keychain; waiting for it
	// counts towards the caller's timeout.
	gate chan struct{}
}

var _ ports.SecretStore = (*Store)(nil)

// New returns a store configured by o.
func New(o Options) *Store {
	s := &Store{service: o.Service, timeout: o.Timeout, ring: o.Keyring, gate: make(chan struct{}, 1)}
	if s.service == "" {
		s.service = DefaultService
	}
	if s.timeout <= 0 {
		s.timeout = DefaultTimeout
	}
	if s.ring == nil {
		s.ring = osKeyring{}
	}
	return s
}

// Service returns the keychain service name.
func (s *Store) Service() string { return s.service }

// User returns the keychain user of key: "<account>/<kind>".
func User(key ports.SecretKey) string { return string(key.Account) + "/" + string(key.Kind) }

// osKeyring is go-keyring's package-level API.
type osKeyring struct{}

// Set stores password as the item (service, user).
func (osKeyring) Set(service, user, password string) error {
	return keyring.Set(service, user, password)
}

// Get reads the item (service, user).
func (osKeyring) Get(service, user string) (string, error) { return keyring.Get(service, user) }

// Delete removes the item (service, user).
func (osKeyring) Delete(service, user string) error { return keyring.Delete(service, user) }

// Get implements ports.SecretStore.
func (s *Store) Get(ctx context.Context, key ports.SecretKey) ([]byte, error) {
	if err := s.check(ctx, key); err != nil {
		return nil, err
	}
	var raw string
	err := s.call(ctx, "read", key, 0, func() error {
		var err error
		raw, err = s.ring.Get(s.service, User(key))
		return err
	})
	if err != nil {
		return nil, err
	}
	enc, ok := strings.CutPrefix(raw, valuePrefix)
	if !ok {
		return []byte(raw), nil
	}
	v, derr := base64.StdEncoding.DecodeString(enc)
	if derr != nil {
		return nil, domain.NewError(domain.CodeConfigError, "the keychain item %s of service %q is damaged (not valid base64 after %q)", User(key), s.service, valuePrefix).
			WithDetail("account", string(key.Account)).
			WithHint("store the secret again (mp account update %s, or mp account login %s)", key.Account, key.Account)
	}
	return v, nil
}

// Set implements ports.SecretStore.
func (s *Store) Set(ctx context.Context, key ports.SecretKey, value []byte) error {
	if err := s.check(ctx, key); err != nil {
		return err
	}
	if limit := MaxSize(); len(value) > limit {
		return s.tooLarge(key, len(value), nil)
	}
	enc := valuePrefix + base64.StdEncoding.EncodeToString(value)
	return s.call(ctx, "write", key, len(value), func() error { return s.ring.Set(s.service, User(key), enc) })
}

// Delete implements ports.SecretStore; a missing item is not an error.
func (s *Store) Delete(ctx context.Context, key ports.SecretKey) error {
	if err := s.check(ctx, key); err != nil {
		return err
	}
	err := s.call(ctx, "delete", key, 0, func() error { return s.ring.Delete(s.service, User(key)) })
	if errors.Is(err, ports.ErrNotFound) {
		return nil
	}
	return err
}

// check returns ctx's error or an invalid key's.
func (s *Store) check(ctx context.Context, key ports.SecretKey) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return ports.ValidateSecretKey(key)
}

// tooLarge is the error for a value of n bytes the keychain does not take
// (matching ports.ErrTooLarge): a CONFIG_ERROR, since the fix is to keep
// this account's secret in the file backend, which the hint spells out.
func (s *Store) tooLarge(key ports.SecretKey, n int, cause error) error {
	what, fix := "secret", fmt.Sprintf("MP_SECRET_BACKEND=file mp account update %s --secret-stdin", key.Account)
	switch key.Kind {
	case ports.SecretStaticToken:
		what, fix = "token", fmt.Sprintf("MP_SECRET_BACKEND=file mp account update %s --token-stdin", key.Account)
	case ports.SecretTokenSet:
		what, fix = "OAuth tokens", fmt.Sprintf("MP_SECRET_BACKEND=file mp account login %s", key.Account)
	}
	e := domain.NewError(domain.CodeConfigError, "the %s of account '%s' take %d bytes: over the %s keychain's limit of %d bytes", what, key.Account, n, runtime.GOOS, MaxSize()).
		WithDetail("account", string(key.Account)).
		WithDetail("size", n).
		WithHint("keep this account's %s in the file backend: %s (the other accounts can stay in the keychain)", what, fix)
	if cause != nil {
		e = e.WithCause(cause)
	}
	return secreterr.Matching(e, ports.ErrTooLarge)
}

// call runs fn in its own goroutine, one at a time, and waits at most the
// store's timeout (or until ctx is done); size is the length of the value
// fn writes (0 for reads and deletes), for the too-large error. A call still running when the
// wait ends is left to finish on its own; its result is dropped.
func (s *Store) call(outer context.Context, op string, key ports.SecretKey, size int, fn func() error) error {
	ctx, cancel := context.WithTimeout(outer, s.timeout)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		select {
		case s.gate <- struct{}{}:
		case <-ctx.Done():
			done <- ctx.Err()
			return
		}
		defer func() { <-s.gate }()
		if ctx.Err() != nil {
			done <- ctx.Err()
			return
		}
		done <- fn()
	}()
	var err error
	select {
	case err = <-done:
	case <-ctx.Done():
		err = ctx.Err()
	}
	switch {
	case err == nil:
		return nil
	case outer.Err() != nil:
		return outer.Err()
	case ctx.Err() != nil:
		return s.unavailable(op, key, fmt.Errorf("no answer within %s", s.timeout))
	case errors.Is(err, keyring.ErrNotFound):
		return secreterr.Matching(domain.NewError(domain.CodeConfigError, "no %s of account '%s' in the keychain (service %q)", key.Kind, key.Account, s.service).
			WithDetail("account", string(key.Account)), ports.ErrNotFound)
	case errors.Is(err, keyring.ErrSetDataTooBig):
		return s.tooLarge(key, size, err)
	}
	return s.unavailable(op, key, err)
}

// unavailable is the SECRET_STORE_UNAVAILABLE error for a failed call.
// The cause is go-keyring's error text, which never holds the value.
func (s *Store) unavailable(op string, key ports.SecretKey, cause error) error {
	return secreterr.Matching(domain.NewError(domain.CodeSecretStoreUnavailable, "cannot %s the %s of account '%s' in the OS keychain (service %q): %s", op, key.Kind, key.Account, s.service, cause.Error()).
		WithDetail("account", string(key.Account)).
		WithDetail("backend", "keychain").
		WithHint("%s", Hint()), ports.ErrUnavailable)
}

// Hint says how to make the keychain reachable on this platform, or to
// do without it.
func Hint() string {
	switch runtime.GOOS {
	case "darwin":
		return "unlock the login keychain (Keychain Access), or keep secrets in files: MP_SECRET_BACKEND=file"
	case "windows":
		return "check that the Credential Manager is available, or keep secrets in files: MP_SECRET_BACKEND=file"
	}
	return "start and unlock a Secret Service (gnome-keyring-daemon --unlock --components=secrets, or KeePassXC) on the session bus named by DBUS_SESSION_BUS_ADDRESS, or keep secrets in files: MP_SECRET_BACKEND=file"
}
