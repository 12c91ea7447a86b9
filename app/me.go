package app

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
)

// memEntry is a /me answer held in memory, with the credential and region
// it was fetched with: a changed secret or region is a miss.
type memEntry struct {
	cred   domain.Credential
	region domain.Region
	entry  domain.CachedMe
}

// probed is a /me answer of a region probe, kept until the account it was
// probed for is added.
type probed struct {
	account domain.Account
	entry   domain.CachedMe
}

// wsKey keys the lazily resolved workspace.
type wsKey struct {
	account domain.AccountName
	project domain.ProjectID
}

// api returns the Mixpanel API port, or an error when the App was built
// without one.
func (c *core) api() (ports.MixpanelAPI, error) {
	if c.deps.API == nil {
		return nil, domain.NewError(domain.CodeConfigError, "this mp was built without a Mixpanel API client, so it cannot reach Mixpanel").
			WithHint("build the app with app.Deps.API set (internal/wiring does)")
	}
	return c.deps.API, nil
}

// now returns the time of the Deps clock, or an error when there is none.
func (c *core) now() (time.Time, error) {
	if c.deps.Clock == nil {
		return time.Time{}, domain.NewError(domain.CodeConfigError, "this mp was built without a clock, so it cannot tell whether cached /me answers are fresh").
			WithHint("build the app with app.Deps.Clock set (internal/wiring does)")
	}
	return c.deps.Clock.Now(), nil
}

// me returns the /me answer of acct (of origin o): from memory, else from
// the disk cache when fresh, else from the network — then stored in memory
// and on disk. Env-built accounts and the bridge's account never touch the
// disk cache (the bridge's account is not the host's account of that name,
// and accounts/<name>/ is not theirs). refresh skips both caches.
func (c *core) me(ctx context.Context, acct domain.Account, o origin, headers []domain.Header, refresh bool) (domain.Me, error) {
	api, err := c.api()
	if err != nil {
		return domain.Me{}, err
	}
	now, err := c.now()
	if err != nil {
		return domain.Me{}, err
	}
	scope, err := c.accountScope(ctx, acct, o, headers)
	if err != nil {
		return domain.Me{}, err
	}
	log := c.deps.Log.With(zap.String("account", string(acct.Name)), zap.String("region", string(acct.Region)))
	fromMemory := func() (domain.Me, bool) {
		c.mu.Lock()
		m, ok := c.mem[acct.Name]
		c.mu.Unlock()
		if ok && m.cred.Equal(scope.Credential) && m.region == acct.Region && m.entry.FreshAt(now) {
			log.Debug("/me from memory", zap.Time("cached_at", m.entry.CachedAt))
			return m.entry.Me, true
		}
		return domain.Me{}, false
	}
	if !refresh {
		if me, ok := fromMemory(); ok {
			return me, nil
		}
		if !o.memoryOnly() && c.deps.Me != nil {
			e, ok, err := c.deps.Me.Get(ctx, acct.Name)
			if err != nil {
				log.Debug("/me cache unreadable", zap.String("code", string(domain.CodeOf(err))))
				return domain.Me{}, err
			}
			if ok && e.FreshAt(now) {
				log.Debug("/me from the disk cache", zap.Time("cached_at", e.CachedAt))
				c.remember(acct.Name, scope.Credential, acct.Region, e)
				return e.Me, nil
			}
			log.Debug("/me disk cache miss", zap.Bool("present", ok), zap.Time("cached_at", e.CachedAt))
		}
	}
	// One fetch per account at a time: whoever waited finds the answer
	// the first one fetched in memory.
	release, err := acquire(ctx, c.meFlight(acct.Name))
	if err != nil {
		return domain.Me{}, fmt.Errorf("waiting for the /me answer of account '%s': %w", acct.Name, err)
	}
	defer release()
	if !refresh {
		if me, ok := fromMemory(); ok {
			return me, nil
		}
	}
	me, err := api.Me(ctx, scope)
	if err != nil {
		log.Debug("/me failed", zap.String("code", string(domain.CodeOf(err))))
		return domain.Me{}, meError(acct, err)
	}
	log.Debug("/me from the network", zap.Bool("refresh", refresh), zap.Int("projects", len(me.Projects)))
	entry := domain.CachedMe{Me: me, CachedAt: now}
	c.remember(acct.Name, scope.Credential, acct.Region, entry)
	if !o.memoryOnly() {
		c.store(ctx, acct.Name, entry)
	}
	return me, nil
}

// meFlight returns the account's /me fetch slot (see core.meFlights).
func (c *core) meFlight(name domain.AccountName) chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch, ok := c.meFlights[name]
	if !ok {
		ch = make(chan struct{}, 1)
		c.meFlights[name] = ch
	}
	return ch
}

// acquire takes the one place of slot, waiting no longer than ctx allows;
// release gives it back.
func acquire(ctx context.Context, slot chan struct{}) (release func(), err error) {
	select {
	case slot <- struct{}{}:
		return func() { <-slot }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// remember keeps entry in memory for the life of the App.
func (c *core) remember(name domain.AccountName, cred domain.Credential, region domain.Region, e domain.CachedMe) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.mem[name] = memEntry{cred: cred, region: region, entry: e}
	c.gen++
}

// store writes entry to the disk cache. A cache that cannot be written —
// an unsafe me.json (a symlink, a FIFO), a read-only directory, a full
// disk — only costs the cache: the answer the caller already has stands,
// and a warning names the problem and its fix (docs/storage.md).
func (c *core) store(ctx context.Context, name domain.AccountName, e domain.CachedMe) {
	if c.deps.Me == nil {
		return
	}
	err := c.deps.Me.Put(ctx, name, e)
	if err == nil {
		return
	}
	fields := []zap.Field{
		zap.String("account", string(name)),
		zap.String("code", string(domain.CodeOf(err))),
		zap.String("error", err.Error()),
	}
	var de *domain.Error
	if errors.As(err, &de) && de.Hint != "" {
		fields = append(fields, zap.String("hint", de.Hint))
	}
	c.deps.Log.Warn("could not write the /me cache (the answer is not affected)", fields...)
}

// cachedMe returns any cached /me answer of acct — memory first, then disk
// (unless memoryOnly), fresh or stale — without the network. ok is false
// when there is none.
func (c *core) cachedMe(ctx context.Context, acct domain.Account, memoryOnly bool) (domain.Me, bool, error) {
	c.mu.Lock()
	m, ok := c.mem[acct.Name]
	c.mu.Unlock()
	if ok && m.region == acct.Region {
		return m.entry.Me, true, nil
	}
	if memoryOnly || c.deps.Me == nil {
		return domain.Me{}, false, nil
	}
	e, ok, err := c.deps.Me.Get(ctx, acct.Name)
	if err != nil || !ok {
		return domain.Me{}, false, err
	}
	return e.Me, true, nil
}

// forgetMe drops the account's /me answer from memory and from the disk
// cache.
func (c *core) forgetMe(ctx context.Context, name domain.AccountName) error {
	c.forget(name)
	if c.deps.Me == nil {
		return nil
	}
	return c.deps.Me.Delete(ctx, name)
}

// forget drops everything held in memory for an account.
func (c *core) forget(name domain.AccountName) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.mem, name)
	delete(c.probes, name)
	c.gen++
	for k := range c.lazy {
		if k.account == name {
			delete(c.lazy, k)
		}
	}
	for k := range c.wsLists {
		if k.account == name {
			delete(c.wsLists, k)
		}
	}
}

// meError completes an API error of /me so that it names the account and
// the next step (docs/reference/http.md): a 401 says the account's credentials
// are invalid, a 403 for a service account that the user_details scope is
// missing. What the adapter already said is kept; only a missing account
// name, hint or detail is added, on a copy. Other errors pass unchanged.
func meError(acct domain.Account, err error) error {
	de := asError(err)
	if de == nil {
		return err
	}
	saScope := de.Code == domain.CodePermissionDenied && acct.Type == domain.TypeServiceAccount
	if de.Code != domain.CodeAuthFailed && !saScope {
		return err
	}
	out := *de
	out.Details = maps.Clone(de.Details)
	named := strings.Contains(de.Message, "'"+string(acct.Name)+"'")
	switch {
	case de.Code == domain.CodeAuthFailed:
		if !named {
			out.Message = fmt.Sprintf("credentials for account '%s' are invalid (%s)", acct.Name, de.Message)
		}
		if out.Hint == "" {
			out.Hint = authHint(acct)
		}
	case saScope:
		if !strings.Contains(de.Message, "user_details") {
			out.Message = fmt.Sprintf("the service account of account '%s' is missing the user_details scope that /me needs (%s)", acct.Name, de.Message)
		}
		if out.Hint == "" {
			out.Hint = "give the service account the user_details scope in Mixpanel (Organization settings → Service accounts), or create one that has it and run `mp account update " + string(acct.Name) + " --username U --secret-stdin`"
		}
	}
	if _, ok := out.Details["account"]; !ok {
		out.WithDetail("account", string(acct.Name))
	}
	if _, ok := out.Details["region"]; !ok {
		out.WithDetail("region", string(acct.Region))
	}
	return &out
}

// authHint is the next step after a 401, per account type.
func authHint(acct domain.Account) string {
	switch {
	case acct.Name == domain.EnvServiceAccountName:
		return "check MP_USERNAME, MP_SECRET and MP_REGION (a credential works only in its own region)"
	case acct.Name == domain.EnvOAuthTokenName:
		return "MP_OAUTH_TOKEN may have expired: export a fresh token; check MP_REGION too"
	case acct.Type == domain.TypeServiceAccount:
		return "check the username and secret (`mp account update " + string(acct.Name) + " --secret-stdin`) and the region " + string(acct.Region) + " (a credential works only in its own region)"
	case acct.Type == domain.TypeOAuthToken && acct.TokenEnv != "":
		return "the token in $" + acct.TokenEnv + " may have expired: export a fresh one; check the account's region " + string(acct.Region) + " too"
	case acct.Type == domain.TypeOAuthToken:
		return "the token may have expired: pipe a fresh one to `mp account update " + string(acct.Name) + " --token-stdin`"
	}
	return "log in again"
}

// probeHint is the next step after every region refused the credentials.
func probeHint(acct domain.Account) string {
	if acct.Type == domain.TypeServiceAccount {
		return "check the username and secret; if you know the region, pass --region us|eu|in"
	}
	return "check that the token is current; if you know the region, pass --region us|eu|in"
}

// regionList renders regions as "us, eu, in".
func regionList(rs []domain.Region) string {
	s := make([]string, len(rs))
	for i, r := range rs {
		s[i] = string(r)
	}
	return strings.Join(s, ", ")
}

// asError returns the *domain.Error in err's chain, or nil.
func asError(err error) *domain.Error {
	var de *domain.Error
	if errors.As(err, &de) {
		return de
	}
	return nil
}
