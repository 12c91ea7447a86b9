package domain

import "time"

// ExpirySkew is how long before expires_at a token already counts as
// expired, so that it is refreshed before it can fail on the wire.
const ExpirySkew = 30 * time.Second

// Tokens are an oauth_browser account's OAuth tokens (accounts/<name>/
// tokens.json, docs/reference/files.md). ClientID is the OAuth client that minted
// them; refreshes use it, whatever the region's client cache holds now.
type Tokens struct {
	AccessToken  Secret
	RefreshToken Secret // zero when the provider sent none
	ExpiresAt    time.Time
	TokenType    string
	Scope        string
	ClientID     string
}

// Equal reports whether t and o hold the same tokens, with expiries at the
// same instant.
func (t Tokens) Equal(o Tokens) bool {
	return t.AccessToken.Equal(o.AccessToken) && t.RefreshToken.Equal(o.RefreshToken) && t.ExpiresAt.Equal(o.ExpiresAt) &&
		t.TokenType == o.TokenType && t.Scope == o.Scope && t.ClientID == o.ClientID
}

// ExpiredAt reports whether the access token is expired, or within
// ExpirySkew of expiring, at now. A token without an expiry never expires.
func (t Tokens) ExpiredAt(now time.Time) bool {
	if t.ExpiresAt.IsZero() {
		return false
	}
	return !now.Before(t.ExpiresAt.Add(-ExpirySkew))
}

// Validate checks that the tokens can be used: they hold an access token.
// A missing ClientID is allowed — the Python tool writes tokens.json
// without one; a refresh then falls back to the region's cached client.
func (t Tokens) Validate() error {
	if t.AccessToken.IsZero() {
		return NewError(CodeOAuthTokenError, "the tokens have no access_token")
	}
	return nil
}

// MergeRefresh returns the tokens a refresh produced, keeping the old
// refresh token when the provider sent none (docs/reference/oauth.md), and the
// client id of the tokens refreshed.
func (t Tokens) MergeRefresh(fresh Tokens) Tokens {
	if fresh.RefreshToken.IsZero() {
		fresh.RefreshToken = t.RefreshToken
	}
	if fresh.ClientID == "" {
		fresh.ClientID = t.ClientID
	}
	if fresh.TokenType == "" {
		fresh.TokenType = t.TokenType
	}
	if fresh.Scope == "" {
		fresh.Scope = t.Scope
	}
	return fresh
}

// OAuthClient is a dynamically registered OAuth client, cached per region
// (oauth/client_<region>.json, docs/reference/files.md).
type OAuthClient struct {
	ClientID    string
	Region      Region
	RedirectURI string
	Scope       string
	CreatedAt   time.Time
}

// OAuthScope is the scope mp registers its OAuth client with
// (mixpanel-api.md).
const OAuthScope = "projects analysis events insights segmentation retention data:read funnels flows data_definitions dashboard_reports bookmarks"

// CallbackPorts are the loopback ports the login callback tries, in order.
func CallbackPorts() []int { return []int{19284, 19285, 19286, 19287} }
