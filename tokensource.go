package mp

import (
	"context"

	"golang.org/x/oauth2"

	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/domain"
)

// TokenSource returns an oauth2.TokenSource for an account of a's config
// (the resolved account when account is empty), for code that talks to
// Mixpanel with its own golang.org/x/oauth2 client.
//
// Every Token call goes through mp's token handling (Accounts.Tokens): an
// oauth_browser account's stored tokens are refreshed when they are within
// 30 s of expiring — one refresh per account at a time in this process, and
// across processes under the account's refresh lock — and the rotated
// tokens are written back to accounts/<name>/tokens.json at once. So a
// long-lived program keeps working across refresh-token rotations, and it
// never invalidates the tokens that `mp` or another program using the same
// account holds: everyone reads the latest tokens from the same file.
//
// The returned *oauth2.Token carries the access token, its type and its
// expiry (zero for an oauth_token account, whose static token does not
// expire as far as mp knows); never the refresh token, which stays with mp.
// Each call reads the token file; wrap the source in
// oauth2.ReuseTokenSource to keep a token in memory until it expires. ctx
// is used for every refresh and read (like oauth2.Config.TokenSource's);
// errors are *domain.Error values with the codes of app.Accounts.Token
// (for example OAUTH_REFRESH_REVOKED when the user must log in again).
func TokenSource(ctx context.Context, a *app.App, account domain.AccountName) oauth2.TokenSource {
	return &tokenSource{ctx: ctx, accounts: a.Accounts, account: account}
}

// tokenSource is the oauth2.TokenSource of TokenSource.
type tokenSource struct {
	ctx      context.Context
	accounts *app.Accounts
	account  domain.AccountName
}

// Token returns a usable token, refreshed and persisted first when needed.
func (s *tokenSource) Token() (*oauth2.Token, error) {
	t, err := s.accounts.Tokens(s.ctx, domain.Selection{}, s.account)
	if err != nil {
		return nil, err
	}
	typ := t.TokenType
	if typ == "" {
		typ = "Bearer"
	}
	return &oauth2.Token{AccessToken: t.AccessToken.Reveal(), TokenType: typ, Expiry: t.ExpiresAt}, nil
}
