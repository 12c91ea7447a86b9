package inmem

import (
	"context"
	"sync"

	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
)

// TokenStore is an in-memory ports.TokenStore. Its refresh locks are
// per-account mutexes that honour the caller's context, so concurrent
// goroutines see the same exclusion a file lock gives processes.
type TokenStore struct {
	mu      sync.Mutex
	tokens  map[domain.AccountName]domain.Tokens
	corrupt map[domain.AccountName]bool
	locks   map[domain.AccountName]chan struct{}
	loads   int
	saves   int
	deletes int
}

var _ ports.TokenStore = (*TokenStore)(nil)

// NewTokenStore returns an empty store.
func NewTokenStore() *TokenStore {
	return &TokenStore{
		tokens:  map[domain.AccountName]domain.Tokens{},
		corrupt: map[domain.AccountName]bool{},
		locks:   map[domain.AccountName]chan struct{}{},
	}
}

// Load returns the account's tokens. Tokens marked corrupt (Corrupt) are
// OAUTH_TOKEN_ERROR with the re-login hint, like a damaged file.
func (s *TokenStore) Load(ctx context.Context, account domain.AccountName) (domain.Tokens, bool, error) {
	if err := ctx.Err(); err != nil {
		return domain.Tokens{}, false, err
	}
	if err := checkAccountName(account); err != nil {
		return domain.Tokens{}, false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.loads++
	if s.corrupt[account] {
		return domain.Tokens{}, false, domain.NewError(domain.CodeOAuthTokenError, "the tokens of account '%s' are corrupt", account).
			WithDetail("account", string(account)).
			WithHint("log in again: mp account login %s", account)
	}
	t, ok := s.tokens[account]
	return t, ok, nil
}

// Save stores the tokens. Tokens without an access token are refused
// (OAUTH_TOKEN_ERROR).
func (s *TokenStore) Save(ctx context.Context, account domain.AccountName, tokens domain.Tokens) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := checkAccountName(account); err != nil {
		return err
	}
	if tokens.AccessToken.IsZero() {
		return domain.NewError(domain.CodeOAuthTokenError, "refusing to save tokens without an access_token for account '%s'", account).
			WithDetail("account", string(account))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens[account] = tokens
	delete(s.corrupt, account)
	s.saves++
	return nil
}

// Delete removes the tokens; existed says whether there were any (corrupt
// ones included).
func (s *TokenStore) Delete(ctx context.Context, account domain.AccountName) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	if err := checkAccountName(account); err != nil {
		return false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, had := s.tokens[account]
	had = had || s.corrupt[account]
	delete(s.tokens, account)
	delete(s.corrupt, account)
	s.deletes++
	return had, nil
}

// LockRefresh takes the account's refresh lock, waiting until ctx is done
// at most. Past ctx's deadline the error is OAUTH_REFRESH_ERROR with
// Details["retryable"] = true, matching context.DeadlineExceeded too (as
// the file store's).
func (s *TokenStore) LockRefresh(ctx context.Context, account domain.AccountName) (func(), error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := checkAccountName(account); err != nil {
		return nil, err
	}
	s.mu.Lock()
	l, ok := s.locks[account]
	if !ok {
		l = make(chan struct{}, 1)
		s.locks[account] = l
	}
	s.mu.Unlock()
	select {
	case l <- struct{}{}:
	case <-ctx.Done():
		if ctx.Err() == context.DeadlineExceeded {
			return nil, domain.NewError(domain.CodeOAuthRefreshError, "another caller is refreshing the tokens of account '%s'", account).
				WithDetail("account", string(account)).
				WithDetail("retryable", true).
				WithHint("try again in a moment").
				WithCause(ctx.Err())
		}
		return nil, ctx.Err()
	}
	var once sync.Once
	return func() { once.Do(func() { <-l }) }, nil
}

// Corrupt marks the account's tokens as damaged: Load fails with
// OAUTH_TOKEN_ERROR until the next Save or Delete.
func (s *TokenStore) Corrupt(account domain.AccountName) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.corrupt[account] = true
}

// Has reports whether tokens (valid or corrupt) are stored for account.
func (s *TokenStore) Has(account domain.AccountName) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.tokens[account]
	return ok || s.corrupt[account]
}

// Counts returns how many Loads, successful Saves and Deletes the store
// served.
func (s *TokenStore) Counts() (loads, saves, deletes int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.loads, s.saves, s.deletes
}

// checkAccountName applies the account-name rule every store applies (the
// file store's path-traversal defence).
func checkAccountName(account domain.AccountName) error {
	_, err := domain.ParseAccountName(string(account))
	return err
}
