package app

import (
	"context"
	"strings"

	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
)

// This file is where the app reads an account's secrets: the service
// account secret, the static bearer and the OAuth token store.

// serviceSecret returns the secret of a service account: the one held in
// its record.
func (c *core) serviceSecret(_ context.Context, acct domain.Account) (domain.Secret, error) {
	return acct.Secret, nil
}

// staticToken returns the token of an oauth_token account: the inline one,
// or the value of its token_env variable read now.
func (c *core) staticToken(_ context.Context, acct domain.Account) (domain.Secret, error) {
	if acct.TokenEnv == "" {
		return acct.Token, nil
	}
	v, ok := c.deps.Env.LookupEnv(acct.TokenEnv)
	v = strings.TrimSpace(v)
	if v == "" {
		state := "which is not set"
		if ok {
			state = "which is empty"
		}
		return domain.Secret{}, domain.NewError(domain.CodeAuthFailed,
			"account '%s' reads its token from $%s, %s", acct.Name, acct.TokenEnv, state).
			WithDetail("account", string(acct.Name)).
			WithDetail("token_env", acct.TokenEnv).
			WithHint("export %s=… (the OAuth access token) and run the command again", acct.TokenEnv)
	}
	return domain.NewSecret(v), nil
}

// tokenStore returns the token store, or an error when the App was built
// without one.
func (c *core) tokenStore() (ports.TokenStore, error) {
	if c.deps.Tokens == nil {
		return nil, domain.NewError(domain.CodeConfigError, "this mp was built without a token store, so it cannot use oauth_browser accounts").
			WithHint("build the app with app.Deps.Tokens set (internal/wiring does)")
	}
	return c.deps.Tokens, nil
}
