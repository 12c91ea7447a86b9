package app

import (
	"context"

	"go.uber.org/zap"

	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
)

// Me returns the /me answer of an account: the named one, or for an empty
// name the one the resolver picks from sel and the environment. It comes
// from memory, else from the disk cache while fresh (24 h), else from
// Mixpanel (then cached). refresh always asks Mixpanel. Accounts built
// from the environment and the bridge's account are cached in memory only.
func (s *Accounts) Me(ctx context.Context, sel domain.Selection, name domain.AccountName, refresh bool) (domain.Me, error) {
	ra, err := s.c.account(ctx, sel, name)
	if err != nil {
		return domain.Me{}, err
	}
	return s.c.me(ctx, ra.account, ra.origin, ra.headers(), refresh)
}

// Test calls /me for an account (the named one, or the resolved one for an
// empty name), bypassing the caches, and caches the answer on success. A
// failed test is reported in the result (OK false, Error, ErrorCode) AND
// returned as the error, so callers can pick an exit code from it; the
// result is always filled. An unknown account gives ok false with
// ACCOUNT_NOT_FOUND.
func (s *Accounts) Test(ctx context.Context, sel domain.Selection, name domain.AccountName) (AccountTestResult, error) {
	res := AccountTestResult{AccountName: string(name)}
	if name == "" {
		// The account the caller named with --account (or a target): the
		// result names it even when it does not exist.
		res.AccountName = string(sel.Account)
	}
	fail := func(err error) (AccountTestResult, error) {
		msg := err.Error()
		res.Error = &msg
		if code := domain.CodeOf(err); code != "" {
			c := string(code)
			res.ErrorCode = &c
		}
		s.log.Debug("account test failed", zap.String("account", res.AccountName), zap.String("code", string(domain.CodeOf(err))))
		return res, err
	}
	ra, err := s.c.account(ctx, sel, name)
	if err != nil {
		return fail(err)
	}
	res.AccountName = string(ra.account.Name)
	me, err := s.c.me(ctx, ra.account, ra.origin, ra.headers(), true)
	if err != nil {
		return fail(err)
	}
	res.OK = true
	res.User = &TestUser{ID: me.User.ID, Email: me.User.Email}
	res.AccessibleProjectCount = len(me.Projects)
	s.log.Debug("account test passed", zap.String("account", res.AccountName), zap.Int("projects", res.AccessibleProjectCount))
	return res, nil
}

// ProbeRegion finds the region of a service_account or oauth_token account
// that is not added yet (a.Region is ignored): it asks /me in us, eu and in,
// in that order, calling progress (when not nil) before each attempt. A 401
// moves on to the next region; the first success wins, and its /me answer
// is cached for the account once Add stores it with that region. When every
// region answers 401 the error is REGION_PROBE_FAILED; any other error
// (network, 403, rate limit) ends the probe and is returned.
func (s *Accounts) ProbeRegion(ctx context.Context, a domain.Account, progress func(domain.Region)) (domain.Region, error) {
	if a.Type != domain.TypeServiceAccount && a.Type != domain.TypeOAuthToken {
		return "", domain.NewError(domain.CodeInvalidArgument, "cannot probe the region of account '%s': only service_account and oauth_token accounts can be probed", a.Name).
			WithDetail("account", string(a.Name)).
			WithHint("pass --region us|eu|in")
	}
	check := a
	check.Region = domain.RegionUS
	if err := check.Validate(); err != nil {
		return "", err
	}
	api, err := s.c.api()
	if err != nil {
		return "", err
	}
	now, err := s.c.now()
	if err != nil {
		return "", err
	}
	cfg, err := s.c.deps.Config.Load(ctx)
	if err != nil {
		return "", err
	}
	// Refuse what Add would refuse (a taken name) before the credential is
	// sent anywhere.
	trial := cfg.Clone()
	if _, err := trial.AddAccount(check); err != nil {
		return "", err
	}
	if _, err := s.c.credentialFor(ctx, a); err != nil {
		return "", err
	}
	r, me, tried, err := s.c.probe(ctx, api, a, headersOf(cfg), progress)
	if err != nil {
		s.log.Debug("region probe stopped", zap.String("account", string(a.Name)), zap.Strings("refused", stringsOf(tried)), zap.String("code", string(domain.CodeOf(err))))
		a.Region = regionAfter(tried)
		return "", meError(a, err)
	}
	if r != "" {
		a.Region = r
		s.c.mu.Lock()
		s.c.probes[a.Name] = probed{account: a, entry: domain.CachedMe{Me: me, CachedAt: now}}
		s.c.mu.Unlock()
		s.log.Debug("region probe succeeded", zap.String("account", string(a.Name)), zap.String("region", string(r)), zap.Strings("refused", stringsOf(tried)))
		return r, nil
	}
	return "", domain.NewError(domain.CodeRegionProbeFailed,
		"could not find the region of account '%s': Mixpanel refused its credentials (401) in every region tried: %s", a.Name, regionList(tried)).
		WithDetail("account", string(a.Name)).
		WithDetail("regions_tried", stringsOf(tried)).
		WithHint("%s", probeHint(a))
}

// Verify checks, before an account with a region is added, that its
// credentials work there: one /me call in a.Region for a service_account
// or oauth_token account. It returns how many projects the credentials
// can see; the /me answer is kept for the Add that follows (as a region
// probe's is). It refuses what Add would refuse (a taken name) before the
// credential is sent. A refusal is AUTH_FAILED (or PERMISSION_DENIED)
// naming the account and region; a network failure is its error. The
// other types cannot be checked before they log in (INVALID_ARGUMENT).
func (s *Accounts) Verify(ctx context.Context, a domain.Account) (projects int, err error) {
	if a.Type != domain.TypeServiceAccount && a.Type != domain.TypeOAuthToken {
		return 0, domain.NewError(domain.CodeInvalidArgument, "account '%s' (%s) cannot be checked before it logs in", a.Name, a.Type).
			WithDetail("account", string(a.Name))
	}
	if err := a.Validate(); err != nil {
		return 0, err
	}
	api, err := s.c.api()
	if err != nil {
		return 0, err
	}
	now, err := s.c.now()
	if err != nil {
		return 0, err
	}
	cfg, err := s.c.deps.Config.Load(ctx)
	if err != nil {
		return 0, err
	}
	trial := cfg.Clone()
	if _, err := trial.AddAccount(a); err != nil {
		return 0, err
	}
	scope, err := s.c.accountScope(ctx, a, origin{}, headersOf(cfg))
	if err != nil {
		return 0, err
	}
	me, err := api.Me(ctx, scope)
	if err != nil {
		s.log.Debug("account check failed", zap.String("account", string(a.Name)), zap.String("region", string(a.Region)), zap.String("code", string(domain.CodeOf(err))))
		return 0, meError(a, err)
	}
	s.c.mu.Lock()
	s.c.probes[a.Name] = probed{account: a, entry: domain.CachedMe{Me: me, CachedAt: now}}
	s.c.mu.Unlock()
	return len(me.Projects), nil
}

// probe asks /me for acct in us, eu and in, in that order (acct.Region is
// ignored), calling progress (when not nil) before each attempt. It returns
// the first region that answers with its /me answer, and the regions that
// refused the credentials (401) before it. Any other error ends the probe
// and is returned as the API gave it. When every region refused, region is
// "" and err nil.
func (c *core) probe(ctx context.Context, api ports.MixpanelAPI, acct domain.Account, headers []domain.Header, progress func(domain.Region)) (region domain.Region, me domain.Me, tried []domain.Region, err error) {
	for _, r := range domain.Regions() {
		acct.Region = r
		scope, err := c.accountScope(ctx, acct, origin{}, headers)
		if err != nil {
			return "", domain.Me{}, tried, err
		}
		if progress != nil {
			progress(r)
		}
		me, err := api.Me(ctx, scope)
		if err == nil {
			return r, me, tried, nil
		}
		if domain.CodeOf(err) != domain.CodeAuthFailed {
			return "", domain.Me{}, tried, err
		}
		c.deps.Log.Debug("region probe: refused", zap.String("account", string(acct.Name)), zap.String("region", string(r)))
		tried = append(tried, r)
	}
	return "", domain.Me{}, tried, nil
}

// regionAfter returns the region a probe tries after the refused ones.
func regionAfter(tried []domain.Region) domain.Region {
	all := domain.Regions()
	if len(tried) < len(all) {
		return all[len(tried)]
	}
	return all[len(all)-1]
}

// adopt caches the /me answer a region probe got for a, now that a is
// stored, when a is the account that was probed (same type, credentials
// and region).
func (s *Accounts) adopt(ctx context.Context, a domain.Account) {
	s.c.mu.Lock()
	p, ok := s.c.probes[a.Name]
	delete(s.c.probes, a.Name)
	s.c.mu.Unlock()
	if !ok || !sameCredentials(p.account, a) {
		return
	}
	cred, err := s.c.credentialFor(ctx, a)
	if err != nil {
		return
	}
	s.c.remember(a.Name, cred, a.Region, p.entry)
	s.c.store(ctx, a.Name, p.entry)
	s.log.Debug("kept the probed /me answer", zap.String("account", string(a.Name)))
}

// sameCredentials reports whether two accounts authenticate the same way
// in the same region.
func sameCredentials(a, b domain.Account) bool {
	return a.Type == b.Type && a.Region == b.Region && a.Username == b.Username &&
		a.Secret.Equal(b.Secret) && a.Token.Equal(b.Token) && a.TokenEnv == b.TokenEnv
}
