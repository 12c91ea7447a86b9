package mp

import (
	"context"

	"golang.org/x/oauth2"

	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/domain"
)

// tokenSource is the oauth2.TokenSource of Accounts.TokenSource.
type tokenSource struct {
	ctx      context.Context
	accounts *app.Accounts
	// call returns the context and selection of a call in the handle's
	// session (Workspace.call).
	call    func(context.Context) (context.Context, domain.Selection)
	account domain.AccountName
}

// newTokenSource returns the token source of account (the session's when
// empty) over accounts; call gives each Token call its session.
func newTokenSource(ctx context.Context, accounts *app.Accounts, call func(context.Context) (context.Context, domain.Selection), account domain.AccountName) oauth2.TokenSource {
	return &tokenSource{ctx: ctx, accounts: accounts, call: call, account: account}
}

// Token returns a usable token, refreshed and persisted first when needed.
// Errors are *Error values.
func (s *tokenSource) Token() (*oauth2.Token, error) {
	ctx, sel := s.call(s.ctx)
	t, err := s.accounts.Tokens(ctx, sel, s.account)
	if err != nil {
		return nil, wrap(err)
	}
	typ := t.TokenType
	if typ == "" {
		typ = "Bearer"
	}
	return &oauth2.Token{AccessToken: t.AccessToken.Reveal(), TokenType: typ, Expiry: t.ExpiresAt}, nil
}
