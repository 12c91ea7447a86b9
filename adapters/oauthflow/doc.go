// Package oauthflow implements ports.OAuthFlow — Mixpanel's OAuth 2.0
// authorization-code flow with PKCE and the refresh grant (docs/reference/oauth.md,
// mixpanel-api.md) — on golang.org/x/oauth2.
//
// Login picks the first free loopback callback port (19284–19287 by
// default) on 127.0.0.1, listens on [::1] with the same port where IPv6
// loopback exists and never on any other address, and uses the redirect
// URI http://localhost:<port>/callback. It reuses the region's cached
// client (ports.ClientCache) when its redirect URI matches and registers a
// new public client otherwise (POST {oauth}mcp/register/). The authorize
// URL carries the PKCE S256 challenge (oauth2.GenerateVerifier,
// oauth2.S256ChallengeOption) and a state of 32 random bytes (base64url),
// and no scope parameter. The browser is opened through Options.Browser
// unless the request says NoBrowser; with NoBrowser and a Paste reader, a
// pasted redirect URL (or its code=…&state=… part) races the callback and
// the first to complete wins. Only GET /callback can end the wait: other
// paths answer 404, a callback without code or state answers an error page
// and the wait goes on. Provider text is HTML-escaped on the page and
// stripped of control characters in errors; the expected state is never
// echoed. The code is exchanged with the verifier (oauth2.Config.Exchange,
// client id in the form, no secret).
//
// Refresh runs the refresh grant with the client id stored with the
// tokens. invalid_grant is OAUTH_REFRESH_REVOKED; other refusals are
// OAUTH_REFRESH_ERROR, marked retryable (Details["retryable"]) for 429 and
// 5xx; transport failures are NETWORK_UNREACHABLE, retryable. Its result
// is not merged: a missing refresh_token stays zero.
//
// *oauth2.Token values are converted to domain.Tokens at this boundary:
// the refresh token only when the answer carried one, the scope from the
// answer's "scope", the expiry from "expires_in" — a number or a numeric
// string, fractional seconds allowed — measured from Options.Clock when
// the request was sent. No token, code, verifier or state ever appears in
// an error or a log line.
package oauthflow
