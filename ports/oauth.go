package ports

import (
	"context"
	"io"

	"github.com/mpdata/mp/domain"
)

// TokenStore keeps oauth_browser accounts' tokens
// (accounts/<name>/tokens.json) and the per-account refresh lock.
type TokenStore interface {
	// Load returns the account's tokens; ok is false when there are none.
	Load(ctx context.Context, account domain.AccountName) (tokens domain.Tokens, ok bool, err error)
	// Save writes the tokens atomically, replacing any previous ones.
	Save(ctx context.Context, account domain.AccountName, tokens domain.Tokens) error
	// Delete removes the tokens; existed says whether there were any.
	Delete(ctx context.Context, account domain.AccountName) (existed bool, err error)
	// LockRefresh takes the account's exclusive, cross-process refresh lock
	// (accounts/<name>/.refresh.lock), waiting until ctx is done at most.
	// The caller re-reads the tokens after taking it and calls unlock when
	// done.
	LockRefresh(ctx context.Context, account domain.AccountName) (unlock func(), err error)
}

// ClientCache keeps the dynamically registered OAuth client of each region
// (oauth/client_<region>.json).
type ClientCache interface {
	// Get returns the region's cached client; ok is false when none.
	Get(ctx context.Context, region domain.Region) (client domain.OAuthClient, ok bool, err error)
	// Put stores the region's client.
	Put(ctx context.Context, client domain.OAuthClient) error
}

// LoginEventKind says what a LoginEvent reports.
type LoginEventKind string

// The login events, in the order they happen.
const (
	// LoginURL: the authorize URL is ready; BrowserOpened says whether a
	// browser was started with it.
	LoginURL LoginEventKind = "url"
	// LoginWaiting: waiting for the callback (or a pasted URL).
	LoginWaiting LoginEventKind = "waiting"
	// LoginCode: a code arrived; exchanging it.
	LoginCode LoginEventKind = "code"
)

// LoginEvent reports the progress of an interactive login, so that the
// caller can print the URL, a spinner or notes.
type LoginEvent struct {
	Kind          LoginEventKind
	URL           string // LoginURL: the authorize URL (no secret in it)
	BrowserOpened bool   // LoginURL
	BrowserError  string // LoginURL: why no browser was opened, if one was tried
	Headless      bool   // LoginURL: the session looks headless (no display, SSH)
}

// LoginRequest asks for an interactive browser login in one region.
type LoginRequest struct {
	Region domain.Region
	// NoBrowser: do not open a browser; print the URL and also accept a
	// pasted redirect URL (or its code=…&state=… part) from Paste.
	NoBrowser bool
	// Paste is read for a pasted redirect URL when NoBrowser is set; nil
	// means no paste fallback. Whichever of callback and paste completes
	// first wins.
	Paste io.Reader
	// Notify receives progress events; nil is allowed.
	Notify func(LoginEvent)
}

// OAuthFlow is the OAuth 2.0 authorization-code flow with PKCE
// (docs/reference/oauth.md) and the refresh grant.
type OAuthFlow interface {
	// Login runs the interactive part of a browser login: pick the callback
	// port, make sure a client is registered for its redirect URI (through
	// the region's ClientCache), send the user to the authorize URL, wait
	// for the code (callback or paste, 300 s at most) and exchange it. The
	// tokens carry the client id. Nothing is persisted.
	Login(ctx context.Context, req LoginRequest) (domain.Tokens, error)
	// Refresh runs the refresh grant for tokens (their RefreshToken and
	// ClientID) in region. invalid_grant → OAUTH_REFRESH_REVOKED; other
	// failures → OAUTH_REFRESH_ERROR or NETWORK_UNREACHABLE, retryable.
	// The result is not merged: a missing refresh_token stays zero.
	Refresh(ctx context.Context, region domain.Region, tokens domain.Tokens) (domain.Tokens, error)
}
