package app

import (
	"context"

	"github.com/mpdata/mp/domain"
)

// origin says where a session's account comes from, which decides where
// its secrets and caches live: a config account keeps its /me answer on
// disk and its OAuth tokens in the TokenStore; an account built from the
// environment, and the bridge's account, keep their /me answer in memory
// only; the bridge's oauth_browser tokens live in the bridge file and are
// refreshed back into it (never into accounts/<name>/tokens.json).
type origin struct {
	env    bool
	bridge *domain.Bridge // the bridge the account comes from; nil otherwise
}

// memoryOnly reports whether the account's /me answer must stay in memory.
func (o origin) memoryOnly() bool { return o.env || o.bridge != nil }

// originOf tells where the resolved account acct comes from: the
// environment, the bridge br (the resolver picked it, or named it and the
// config has no account of that name), or the config.
func originOf(prov domain.AxisProvenance, acct domain.Account, cfg domain.Config, br *domain.Bridge) origin {
	if isEnvBuilt(prov) {
		return origin{env: true}
	}
	if br != nil && acct.Name == br.Account.Name {
		if _, inConfig := cfg.Account(acct.Name); !inConfig || prov.Winner.Source.Kind == domain.SourceBridge {
			return origin{bridge: br}
		}
	}
	return origin{}
}

// credentialFor returns the credential of a config (or env-built) account;
// see credentialIn.
func (c *core) credentialFor(ctx context.Context, acct domain.Account) (domain.Credential, error) {
	return c.credentialIn(ctx, acct, origin{})
}

// credentialIn returns what goes into the Authorization header for acct
// of origin o: Basic for a service account; Bearer for an oauth_token
// account (its token_env variable read now, from Deps.Env) and for an
// oauth_browser account (its access token — from the token store, or from
// the bridge for the bridge's account — refreshed first when it is within
// 30 s of expiring).
func (c *core) credentialIn(ctx context.Context, acct domain.Account, o origin) (domain.Credential, error) {
	switch acct.Type {
	case domain.TypeServiceAccount:
		secret, err := c.serviceSecret(ctx, acct)
		if err != nil {
			return domain.Credential{}, err
		}
		return domain.BasicCredential(acct.Username, secret), nil
	case domain.TypeOAuthToken:
		tok, err := c.staticToken(ctx, acct)
		if err != nil {
			return domain.Credential{}, err
		}
		return domain.BearerCredential(tok), nil
	case domain.TypeOAuthBrowser:
		t, err := c.validTokens(ctx, acct, o)
		if err != nil {
			return domain.Credential{}, err
		}
		return domain.BearerCredential(t.AccessToken), nil
	}
	return domain.Credential{}, errUnknownType(acct)
}

// headersOf returns the session headers the config adds to every request.
func headersOf(cfg domain.Config) []domain.Header {
	if h := cfg.Settings().CustomHeader; h != nil {
		return []domain.Header{*h}
	}
	return nil
}

// headersWith returns the config's headers with the bridge's on top
// (docs/reference/resolution.md), as the resolver merges them.
func headersWith(cfg domain.Config, br *domain.Bridge) []domain.Header {
	if br == nil {
		return headersOf(cfg)
	}
	return domain.MergeHeaders(headersOf(cfg), br.Headers)
}

// accountScope is the scope of an account-level call (/me): no project.
func (c *core) accountScope(ctx context.Context, acct domain.Account, o origin, headers []domain.Header) (domain.Scope, error) {
	cred, err := c.credentialIn(ctx, acct, o)
	if err != nil {
		return domain.Scope{}, err
	}
	return domain.Scope{
		Account: acct.Name, Type: acct.Type, Region: acct.Region,
		Credential: cred, Headers: headers,
	}, nil
}

// sessionScope is the scope of a project call in the resolved session,
// with the session's workspace (zero when none is set).
func (c *core) sessionScope(ctx context.Context, ses session) (domain.Scope, error) {
	sess := ses.Session
	s, err := c.accountScope(ctx, sess.Account, ses.origin, sess.Headers)
	if err != nil {
		return domain.Scope{}, err
	}
	s.Project = sess.Project
	s.Workspace = sess.Workspace
	return s, nil
}

// session is a resolved session with what the network use cases need
// besides it.
type session struct {
	domain.Resolution
	// origin says where the account comes from.
	origin origin
	// bridge is the bridge in effect, if any (whether or not the session's
	// account is its account).
	bridge *domain.Bridge
}

// resolve loads the config and the bridge and runs the full resolution
// chain.
func (c *core) resolve(ctx context.Context, sel domain.Selection) (session, error) {
	cfg, br, err := c.load(ctx)
	if err != nil {
		return session{}, err
	}
	r, err := domain.Resolve(c.inputWith(sel, cfg, br))
	if err != nil {
		if perr := c.checkPin(ctx, origin{}, br); perr != nil {
			return session{}, perr
		}
		return session{}, err
	}
	o := originOf(r.Provenance.Account, r.Session.Account, cfg, br)
	if err := c.checkPin(ctx, o, br); err != nil {
		return session{}, err
	}
	return session{Resolution: r, origin: o, bridge: br}, nil
}

// resolvedAccount is an account picked for an account-level call.
type resolvedAccount struct {
	account domain.Account
	origin  origin
	cfg     domain.Config
	bridge  *domain.Bridge
}

// headers are the headers of an account-level call.
func (ra resolvedAccount) headers() []domain.Header { return headersWith(ra.cfg, ra.bridge) }

// account returns the named config account (or the env-built account of
// that name when the environment builds it, or the bridge's account when
// the config has none of that name) or, for an empty name, the account the
// resolver picks from sel, the environment, the bridge and the config.
func (c *core) account(ctx context.Context, sel domain.Selection, name domain.AccountName) (resolvedAccount, error) {
	cfg, br, err := c.load(ctx)
	if err != nil {
		return resolvedAccount{}, err
	}
	if name != "" {
		if a, ok := cfg.Account(name); ok {
			return resolvedAccount{account: a, cfg: cfg, bridge: br}, nil
		}
		if isEnvAccountName(name) {
			a, prov, rerr := domain.ResolveAccount(c.input(domain.Selection{}, cfg))
			if rerr == nil && isEnvBuilt(prov) && a.Name == name {
				return resolvedAccount{account: a, origin: origin{env: true}, cfg: cfg, bridge: br}, nil
			}
		}
		if br != nil && br.Account.Name == name {
			return resolvedAccount{account: br.Account, origin: origin{bridge: br}, cfg: cfg, bridge: br}, nil
		}
		_, err := cfg.LookupAccount(name)
		return resolvedAccount{}, err
	}
	a, prov, err := domain.ResolveAccount(c.inputWith(sel, cfg, br))
	if err != nil {
		if perr := c.checkPin(ctx, origin{}, br); perr != nil {
			return resolvedAccount{}, perr
		}
		return resolvedAccount{}, err
	}
	o := originOf(prov, a, cfg, br)
	if err := c.checkPin(ctx, o, br); err != nil {
		return resolvedAccount{}, err
	}
	return resolvedAccount{account: a, origin: o, cfg: cfg, bridge: br}, nil
}
