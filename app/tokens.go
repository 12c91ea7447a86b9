package app

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
)

// DefaultRefreshLockWait is how long a refresh waits for another process's
// refresh lock before giving up with a retryable OAUTH_REFRESH_ERROR.
const DefaultRefreshLockWait = 30 * time.Second

// oauthFlow returns the OAuth flow, or an error when the App was built
// without one.
func (c *core) oauthFlow() (ports.OAuthFlow, error) {
	if c.deps.OAuth == nil {
		return nil, domain.NewError(domain.CodeConfigError, "this mp was built without an OAuth client, so it cannot log in or refresh tokens").
			WithHint("build the app with app.Deps.OAuth set (internal/wiring does)")
	}
	return c.deps.OAuth, nil
}

// lockWait is the bounded wait for the cross-process refresh lock.
func (c *core) lockWait() time.Duration {
	if c.deps.RefreshLockWait > 0 {
		return c.deps.RefreshLockWait
	}
	return DefaultRefreshLockWait
}

// flight returns the in-process refresh lock of an account: a channel with
// room for one token, so that waiting for it can be cancelled.
func (c *core) flight(name domain.AccountName) chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch, ok := c.flights[name]
	if !ok {
		ch = make(chan struct{}, 1)
		c.flights[name] = ch
	}
	return ch
}

// lockRefresh takes the account's cross-process refresh lock, waiting at
// most lockWait. A wait that runs out is a retryable OAUTH_REFRESH_ERROR
// ("busy"); a cancelled ctx is returned as such.
func (c *core) lockRefresh(ctx context.Context, store ports.TokenStore, name domain.AccountName) (func(), error) {
	wait := c.lockWait()
	lctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	unlock, err := store.LockRefresh(lctx, name)
	if err == nil {
		return unlock, nil
	}
	if ctx.Err() != nil {
		return nil, fmt.Errorf("waiting for the token refresh lock of account '%s': %w", name, ctx.Err())
	}
	if lctx.Err() != nil {
		c.deps.Log.Debug("refresh lock busy", zap.String("account", string(name)), zap.Duration("waited", wait))
		return nil, domain.NewError(domain.CodeOAuthRefreshError,
			"another mp is refreshing the tokens of account '%s' (waited %s for its lock)", name, wait).
			WithDetail("account", string(name)).
			WithDetail("retryable", true).
			WithHint("try again in a moment; if no other mp is running, check the lock file (accounts/%s/.refresh.lock in the storage directory, or <bridge>.lock beside a bridge file)", name).
			WithCause(err)
	}
	return nil, err
}

// errNoTokens is the error for an oauth_browser account without tokens.
func errNoTokens(name domain.AccountName) *domain.Error {
	return domain.NewError(domain.CodeOAuthTokenError, "account '%s' has no OAuth tokens: it is not logged in", name).
		WithDetail("account", string(name)).
		WithHint("mp account login %s", name)
}

// loadTokens reads the stored tokens of an account and checks them.
func (c *core) loadTokens(ctx context.Context, store ports.TokenStore, name domain.AccountName) (domain.Tokens, error) {
	t, ok, err := store.Load(ctx, name)
	if err != nil {
		return domain.Tokens{}, err
	}
	if !ok {
		return domain.Tokens{}, errNoTokens(name)
	}
	if err := t.Validate(); err != nil {
		de := asError(err)
		if de == nil {
			return domain.Tokens{}, err
		}
		return domain.Tokens{}, domain.NewError(de.Code, "the stored tokens of account '%s' are unusable: %s", name, de.Message).
			WithDetail("account", string(name)).
			WithHint("mp account login %s", name)
	}
	return t, nil
}

// validTokens returns tokens of an oauth_browser account of origin o whose
// access token is not about to expire: the stored ones (the token store's,
// or the bridge's for the bridge's account), or — when they are within
// domain.ExpirySkew of expiring — refreshed ones (see refresh), saved back
// where they came from.
func (c *core) validTokens(ctx context.Context, acct domain.Account, o origin) (domain.Tokens, error) {
	store, err := c.tokensOf(o)
	if err != nil {
		return domain.Tokens{}, err
	}
	now, err := c.now()
	if err != nil {
		return domain.Tokens{}, err
	}
	t, err := c.loadTokens(ctx, store, acct.Name)
	if err != nil {
		return domain.Tokens{}, bridgeHint(o, err)
	}
	if !t.ExpiredAt(now) {
		return t, nil
	}
	t, err = c.refresh(ctx, store, acct)
	return t, bridgeHint(o, err)
}

// bridgeHint replaces the re-login hint of an error about the tokens of
// the bridge's account: logging in here would not help (the account is
// not in this machine's config); the host logs in and exports again.
func bridgeHint(o origin, err error) error {
	de := asError(err)
	if o.bridge == nil || de == nil || !strings.HasPrefix(de.Hint, "mp account login ") {
		return err
	}
	out := cloneError(de)
	out.Hint = fmt.Sprintf("on the host: mp account login %s, then export the bridge again (mp account export-bridge -a %s --to PATH); it is %s here",
		o.bridge.Account.Name, o.bridge.Account.Name, o.bridge.Path)
	return out.WithDetail("path", o.bridge.Path)
}

// refresh renews an account's expired tokens, safely across goroutines and
// processes (docs/reference/oauth.md): one goroutine per account at a time in this
// process; then the account's cross-process lock (bounded wait); then the
// tokens are read again and, when another process has refreshed them
// meanwhile, used as they are; otherwise the refresh grant runs, its answer
// is merged into the old tokens (a missing refresh token keeps the old one)
// and saved while the lock is still held. A revoked refresh token is
// OAUTH_REFRESH_REVOKED; no failure deletes or rewrites the stored tokens.
func (c *core) refresh(ctx context.Context, store ports.TokenStore, acct domain.Account) (domain.Tokens, error) {
	log := c.deps.Log.With(zap.String("account", string(acct.Name)), zap.String("region", string(acct.Region)))
	flight := c.flight(acct.Name)
	select {
	case flight <- struct{}{}:
	case <-ctx.Done():
		return domain.Tokens{}, fmt.Errorf("waiting for the token refresh of account '%s': %w", acct.Name, ctx.Err())
	}
	defer func() { <-flight }()

	// Another goroutine of this process may have refreshed while we waited.
	if t, err := c.loadTokens(ctx, store, acct.Name); err != nil {
		return domain.Tokens{}, err
	} else if fresh, err := c.fresh(t); err != nil || fresh {
		if fresh {
			log.Debug("tokens refreshed by another goroutine")
		}
		return t, err
	}

	unlock, err := c.lockRefresh(ctx, store, acct.Name)
	if err != nil {
		return domain.Tokens{}, err
	}
	defer unlock()

	t, err := c.loadTokens(ctx, store, acct.Name)
	if err != nil {
		return domain.Tokens{}, err
	}
	if fresh, err := c.fresh(t); err != nil || fresh {
		if fresh {
			log.Debug("adopted tokens another process refreshed", zap.Time("expires_at", t.ExpiresAt))
		}
		return t, err
	}
	if t.RefreshToken.IsZero() {
		return domain.Tokens{}, domain.NewError(domain.CodeOAuthTokenError,
			"the access token of account '%s' has expired and there is no refresh token to renew it", acct.Name).
			WithDetail("account", string(acct.Name)).
			WithHint("mp account login %s", acct.Name)
	}
	flow, err := c.oauthFlow()
	if err != nil {
		return domain.Tokens{}, err
	}
	log.Debug("refreshing tokens", zap.Time("expired_at", t.ExpiresAt), zap.String("client_id", t.ClientID))
	got, err := flow.Refresh(ctx, acct.Region, t)
	if err != nil {
		log.Debug("token refresh failed; stored tokens left as they are", zap.String("code", string(domain.CodeOf(err))))
		return domain.Tokens{}, refreshError(acct.Name, err)
	}
	merged := t.MergeRefresh(got)
	if err := merged.Validate(); err != nil {
		return domain.Tokens{}, domain.NewError(domain.CodeOAuthRefreshError,
			"the token endpoint answered the refresh of account '%s' with unusable tokens", acct.Name).
			WithDetail("account", string(acct.Name)).
			WithDetail("retryable", true).
			WithHint("try again; if it keeps failing, run `mp account login %s`", acct.Name).
			WithCause(err)
	}
	if err := store.Save(ctx, acct.Name, merged); err != nil {
		log.Debug("saving refreshed tokens failed", zap.String("code", string(domain.CodeOf(err))))
		return domain.Tokens{}, err
	}
	log.Debug("tokens refreshed and saved", zap.Time("expires_at", merged.ExpiresAt),
		zap.Bool("refresh_token_rotated", !got.RefreshToken.IsZero()))
	return merged, nil
}

// fresh reports whether t is not about to expire.
func (c *core) fresh(t domain.Tokens) (bool, error) {
	now, err := c.now()
	if err != nil {
		return false, err
	}
	return !t.ExpiredAt(now), nil
}

// refreshError makes sure a failed refresh names the account and, when the
// refresh token was revoked, says how to log in again. What the adapter
// said is kept; other errors pass with the account added.
func refreshError(name domain.AccountName, err error) error {
	de := asError(err)
	if de == nil {
		return domain.NewError(domain.CodeOAuthRefreshError, "could not refresh the tokens of account '%s'", name).
			WithDetail("account", string(name)).
			WithDetail("retryable", true).
			WithHint("try again").
			WithCause(err)
	}
	out := cloneError(de)
	if _, ok := out.Details["account"]; !ok {
		out.WithDetail("account", string(name))
	}
	if de.Code == domain.CodeOAuthRefreshRevoked {
		out.Hint = fmt.Sprintf("mp account login %s", name)
	}
	return out
}

// Tokens returns usable tokens of an account — the named one, or for an
// empty name the one the resolver picks from sel, the environment and the
// bridge — refreshing (and persisting) oauth_browser tokens first when they
// are within 30 s of expiring (the bridge's account: into the bridge file). An oauth_token account gives its static token
// (token_env read now) with no expiry and type "Bearer"; a service account
// has no bearer (CONFIG_ERROR).
func (s *Accounts) Tokens(ctx context.Context, sel domain.Selection, name domain.AccountName) (domain.Tokens, error) {
	_, t, err := s.tokens(ctx, sel, name)
	return t, err
}

// Bearer is an account's bearer with its account and expiry (`mp account
// token --format json`).
type Bearer struct {
	// Account is the account the bearer belongs to.
	Account domain.AccountName
	// Token is the access token.
	Token domain.Secret
	// ExpiresAt is when it expires; zero when unknown (a static token).
	ExpiresAt time.Time
}

// Bearer is Token with the account it resolved to and the expiry.
func (s *Accounts) Bearer(ctx context.Context, sel domain.Selection, name domain.AccountName) (Bearer, error) {
	acct, t, err := s.tokens(ctx, sel, name)
	if err != nil {
		return Bearer{}, err
	}
	return Bearer{Account: acct, Token: t.AccessToken, ExpiresAt: t.ExpiresAt}, nil
}

// tokens is Tokens that also names the account.
func (s *Accounts) tokens(ctx context.Context, sel domain.Selection, name domain.AccountName) (domain.AccountName, domain.Tokens, error) {
	ra, err := s.c.account(ctx, sel, name)
	if err != nil {
		return "", domain.Tokens{}, err
	}
	a := ra.account
	t, err := s.accountTokens(ctx, ra)
	return a.Name, t, err
}

// accountTokens returns the tokens of the resolved account ra.
func (s *Accounts) accountTokens(ctx context.Context, ra resolvedAccount) (domain.Tokens, error) {
	a := ra.account
	switch a.Type {
	case domain.TypeServiceAccount:
		return domain.Tokens{}, domain.NewError(domain.CodeConfigError,
			"account '%s' is a service account: service accounts use Basic auth; no bearer", a.Name).
			WithDetail("account", string(a.Name)).
			WithHint("`mp account token` works with oauth_browser and oauth_token accounts")
	case domain.TypeOAuthToken:
		tok, err := s.c.staticToken(ctx, a)
		if err != nil {
			return domain.Tokens{}, err
		}
		return domain.Tokens{AccessToken: tok, TokenType: "Bearer"}, nil
	case domain.TypeOAuthBrowser:
		t, err := s.c.validTokens(ctx, a, ra.origin)
		if err != nil {
			s.log.Debug("no usable tokens", zap.String("account", string(a.Name)), zap.String("code", string(domain.CodeOf(err))))
			return domain.Tokens{}, err
		}
		return t, nil
	}
	return domain.Tokens{}, errUnknownType(a)
}

// Token returns the bearer of an account (`mp account token [NAME]`): the
// named one, or for an empty name the resolved one. oauth_browser tokens
// are refreshed first when needed; an oauth_token account's token_env is
// read now. A service account has no bearer: CONFIG_ERROR ("service
// accounts use Basic auth; no bearer").
func (s *Accounts) Token(ctx context.Context, sel domain.Selection, name domain.AccountName) (domain.Secret, error) {
	t, err := s.Tokens(ctx, sel, name)
	if err != nil {
		return domain.Secret{}, err
	}
	return t.AccessToken, nil
}

// LogoutResult is the outcome of Accounts.Logout (`mp account logout`).
type LogoutResult struct {
	// Account is the account logged out.
	Account string `json:"account"`
	// Removed reports whether there were tokens to delete.
	Removed bool `json:"removed"`
}

// Logout deletes the tokens of an oauth_browser account of the config,
// under its refresh lock so that a refresh running in another process
// cannot write them back. Other account types are INVALID_ARGUMENT.
func (s *Accounts) Logout(ctx context.Context, name domain.AccountName) (LogoutResult, error) {
	if err := s.c.refuseBridgeAccount(ctx, name, "log out of"); err != nil {
		return LogoutResult{}, err
	}
	cfg, err := s.c.deps.Config.Load(ctx)
	if err != nil {
		return LogoutResult{}, err
	}
	a, err := cfg.LookupAccount(name)
	if err != nil {
		return LogoutResult{}, err
	}
	if a.Type != domain.TypeOAuthBrowser {
		return LogoutResult{}, domain.NewError(domain.CodeInvalidArgument,
			"account '%s' is %s: only oauth_browser accounts have tokens to log out of", name, a.Type).
			WithDetail("account", string(name)).
			WithDetail("type", string(a.Type)).
			WithHint("to stop using it, remove it: mp account remove %s", name)
	}
	store, err := s.c.tokenStore()
	if err != nil {
		return LogoutResult{}, err
	}
	unlock, err := s.c.lockRefresh(ctx, store, name)
	if err != nil {
		return LogoutResult{}, err
	}
	defer unlock()
	existed, err := store.Delete(ctx, name)
	if err != nil {
		s.log.Debug("deleting tokens failed", zap.String("account", string(name)), zap.String("code", string(domain.CodeOf(err))))
		return LogoutResult{}, err
	}
	s.log.Debug("logged out", zap.String("account", string(name)), zap.Bool("removed", existed))
	return LogoutResult{Account: string(name), Removed: existed}, nil
}

// cloneError returns a copy of e whose details can be changed.
func cloneError(e *domain.Error) *domain.Error {
	out := *e
	out.Details = maps.Clone(e.Details)
	return &out
}

// errUnknownType is the CONFIG_ERROR for an account of no known type.
func errUnknownType(a domain.Account) *domain.Error {
	return domain.NewError(domain.CodeConfigError, "account '%s' has an unknown type %q", a.Name, a.Type).
		WithDetail("account", string(a.Name))
}
