package inmem

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/mpdata/mp/domain"
)

// ConfigStore is an in-memory ports.ConfigStore. It is safe for concurrent
// use; Update holds a mutex for the whole transaction.
type ConfigStore struct {
	mu  sync.Mutex
	cfg domain.Config
	// validate checks the result of an Update; nil means
	// domain.Config.Validate. Tests replace it to exercise the refusal path,
	// which the domain API cannot reach.
	validate func(domain.Config) error
}

// NewConfigStore returns a store holding a copy of initial.
func NewConfigStore(initial domain.Config) *ConfigStore {
	return &ConfigStore{cfg: initial.Clone()}
}

// Load returns a copy of the stored config.
func (s *ConfigStore) Load(ctx context.Context) (domain.Config, error) {
	if err := ctx.Err(); err != nil {
		return domain.Config{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cfg.Clone(), nil
}

// Update applies fn to a copy and keeps a copy of the result only when fn
// and validation succeed, so the value fn saw stays detached from the store.
func (s *ConfigStore) Update(ctx context.Context, fn func(*domain.Config) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	next := s.cfg.Clone()
	if err := fn(&next); err != nil {
		return err
	}
	validate := domain.Config.Validate
	if s.validate != nil {
		validate = s.validate
	}
	if err := validate(next); err != nil {
		return err
	}
	s.cfg = next.Clone()
	return nil
}

// AccountStorage is an in-memory ports.AccountStorage that records what
// exists and what was removed.
type AccountStorage struct {
	mu      sync.Mutex
	present map[domain.AccountName]bool
	removed []domain.AccountName
}

// NewAccountStorage returns storage that holds data for the given accounts.
func NewAccountStorage(withData ...domain.AccountName) *AccountStorage {
	s := &AccountStorage{present: map[domain.AccountName]bool{}}
	for _, n := range withData {
		s.present[n] = true
	}
	return s
}

// RemoveAccountData forgets the account's data; absent data is not an error.
func (s *AccountStorage) RemoveAccountData(ctx context.Context, name domain.AccountName) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.present, name)
	s.removed = append(s.removed, name)
	return nil
}

// HasData reports whether data for the account is present.
func (s *AccountStorage) HasData(name domain.AccountName) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.present[name]
}

// Removed returns the accounts whose data was removed, in call order.
func (s *AccountStorage) Removed() []domain.AccountName {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.removed)
}

// Env is an environment held in a map.
type Env map[string]string

// LookupEnv implements ports.Env.
func (e Env) LookupEnv(key string) (string, bool) {
	v, ok := e[key]
	return v, ok
}

// Clock is a settable clock.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a clock stopped at t.
func NewClock(t time.Time) *Clock { return &Clock{now: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
