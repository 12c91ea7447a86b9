package inmem

import (
	"context"
	"slices"
	"sync"

	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
)

// SecretStore is an in-memory ports.SecretStore. SetUnavailable makes it
// behave like an unreachable keychain; SetMaxSize gives it a size limit.
type SecretStore struct {
	mu          sync.Mutex
	values      map[ports.SecretKey][]byte
	unavailable bool
	maxSize     int
	sets        int
}

var _ ports.SecretStore = (*SecretStore)(nil)

// NewSecretStore returns an empty store without a size limit.
func NewSecretStore() *SecretStore {
	return &SecretStore{values: map[ports.SecretKey][]byte{}}
}

// SetUnavailable makes every later call fail with SECRET_STORE_UNAVAILABLE
// (matching ports.ErrUnavailable) while on is true.
func (s *SecretStore) SetUnavailable(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.unavailable = on
}

// SetMaxSize limits the values Set accepts to n bytes (0: no limit).
func (s *SecretStore) SetMaxSize(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.maxSize = n
}

// Keys returns the keys that hold a value, sorted.
func (s *SecretStore) Keys() []ports.SecretKey {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]ports.SecretKey, 0, len(s.values))
	for k := range s.values {
		out = append(out, k)
	}
	slices.SortFunc(out, func(a, b ports.SecretKey) int {
		if a.Account != b.Account {
			return compare(string(a.Account), string(b.Account))
		}
		return compare(string(a.Kind), string(b.Kind))
	})
	return out
}

// Sets returns how many Sets succeeded.
func (s *SecretStore) Sets() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sets
}

func compare(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// check runs the checks every method starts with.
func (s *SecretStore) check(ctx context.Context, key ports.SecretKey) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := ports.ValidateSecretKey(key); err != nil {
		return err
	}
	if s.unavailable {
		return domain.NewError(domain.CodeSecretStoreUnavailable, "the in-memory secret store is switched off").
			WithHint("call SetUnavailable(false)").
			WithCause(ports.ErrUnavailable)
	}
	return nil
}

// Get implements ports.SecretStore.
func (s *SecretStore) Get(ctx context.Context, key ports.SecretKey) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.check(ctx, key); err != nil {
		return nil, err
	}
	v, ok := s.values[key]
	if !ok {
		return nil, domain.NewError(domain.CodeConfigError, "no %s stored for account '%s'", key.Kind, key.Account).
			WithDetail("account", string(key.Account)).
			WithCause(ports.ErrNotFound)
	}
	return slices.Clone(v), nil
}

// Set implements ports.SecretStore.
func (s *SecretStore) Set(ctx context.Context, key ports.SecretKey, value []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.check(ctx, key); err != nil {
		return err
	}
	if s.maxSize > 0 && len(value) > s.maxSize {
		return domain.NewError(domain.CodeInvalidArgument, "the %s of account '%s' is %d bytes: over the store's limit of %d bytes", key.Kind, key.Account, len(value), s.maxSize).
			WithHint("use the file backend for this account").
			WithCause(ports.ErrTooLarge)
	}
	if value == nil {
		value = []byte{}
	}
	s.values[key] = slices.Clone(value)
	s.sets++
	return nil
}

// Delete implements ports.SecretStore.
func (s *SecretStore) Delete(ctx context.Context, key ports.SecretKey) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.check(ctx, key); err != nil {
		return err
	}
	delete(s.values, key)
	return nil
}
