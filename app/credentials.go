package app

import (
	"context"

	"github.com/mpdata/mp/domain"
)

// credentialFor returns what goes into the Authorization header for acct:
// Basic for a service account; Bearer for an oauth_token account (its
// token_env variable read now, from Deps.Env) and for an oauth_browser
// account (its stored access token, refreshed first when it is within 30 s
// of expiring).
func (c *core) credentialFor(ctx context.Context, acct domain.Account) (domain.Credential, error) {
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
		t, err := c.validTokens(ctx, acct)
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

// accountScope is the scope of an account-level call (/me): no project.
func (c *core) accountScope(ctx context.Context, acct domain.Account, headers []domain.Header) (domain.Scope, error) {
	cred, err := c.credentialFor(ctx, acct)
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
func (c *core) sessionScope(ctx context.Context, sess domain.Session) (domain.Scope, error) {
	s, err := c.accountScope(ctx, sess.Account, sess.Headers)
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
	// envBuilt reports whether the account exists only in the environment
	// (its /me answer is cached in memory only).
	envBuilt bool
}

// resolve loads the config and runs the full resolution chain.
func (c *core) resolve(ctx context.Context, sel domain.Selection) (session, error) {
	cfg, err := c.deps.Config.Load(ctx)
	if err != nil {
		return session{}, err
	}
	r, err := domain.Resolve(c.input(sel, cfg))
	if err != nil {
		return session{}, err
	}
	return session{Resolution: r, envBuilt: isEnvBuilt(r.Provenance.Account)}, nil
}

// resolvedAccount is an account picked for an account-level call.
type resolvedAccount struct {
	account  domain.Account
	envBuilt bool
	cfg      domain.Config
}

// account returns the named config account (or the env-built account of
// that name when the environment builds it) or, for an empty name, the
// account the resolver picks from sel and the environment.
func (c *core) account(ctx context.Context, sel domain.Selection, name domain.AccountName) (resolvedAccount, error) {
	cfg, err := c.deps.Config.Load(ctx)
	if err != nil {
		return resolvedAccount{}, err
	}
	if name != "" {
		if a, ok := cfg.Account(name); ok {
			return resolvedAccount{account: a, cfg: cfg}, nil
		}
		if isEnvAccountName(name) {
			a, prov, rerr := domain.ResolveAccount(c.input(domain.Selection{}, cfg))
			if rerr == nil && isEnvBuilt(prov) && a.Name == name {
				return resolvedAccount{account: a, envBuilt: true, cfg: cfg}, nil
			}
		}
		_, err := cfg.LookupAccount(name)
		return resolvedAccount{}, err
	}
	a, prov, err := domain.ResolveAccount(c.input(sel, cfg))
	if err != nil {
		return resolvedAccount{}, err
	}
	return resolvedAccount{account: a, envBuilt: isEnvBuilt(prov), cfg: cfg}, nil
}
