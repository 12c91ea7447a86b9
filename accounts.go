package mp

import (
	"context"

	"golang.org/x/oauth2"

	"github.com/mpdata/mp/domain"
)

// Accounts manages the accounts of the config, like `mp account …`. Its
// methods that take a name use the handle's account when name is empty.
type Accounts struct{ w *Workspace }

// List returns every account of the config, sorted by name.
func (a *Accounts) List(ctx context.Context) ([]AccountSummary, error) {
	list, err := a.w.eng.app.Accounts.List(ctx)
	if err != nil {
		return nil, wrap(err)
	}
	return fromAccountSummaries(list), nil
}

// Add adds an account (the first one becomes active). A handle opened
// before any account existed switches to the new active account.
func (a *Accounts) Add(ctx context.Context, acct Account) (AddAccountResult, error) {
	res, err := a.w.eng.app.Accounts.Add(ctx, toDomainAccount(acct))
	if err != nil {
		return AddAccountResult{}, wrap(err)
	}
	a.w.settle(ctx)
	return AddAccountResult{Account: fromAccountSummary(res.Account), Promoted: res.Promoted}, nil
}

// Update changes the given fields of an account; its type never changes.
// Changing the credentials or the region forgets the account's cached /me
// answer.
func (a *Accounts) Update(ctx context.Context, name string, p AccountPatch) (AccountSummary, error) {
	s, err := a.w.eng.app.Accounts.Update(ctx, domain.AccountName(name), toDomainPatch(p))
	if err != nil {
		return AccountSummary{}, wrap(err)
	}
	return fromAccountSummary(s), nil
}

// Remove deletes an account and its stored data (secrets, tokens, cached
// /me answer). It refuses with ACCOUNT_IN_USE while saved targets use the
// account, unless o.Force is set (they are then kept, orphaned, and
// listed in the result).
func (a *Accounts) Remove(ctx context.Context, name string, o RemoveOptions) (RemoveAccountResult, error) {
	res, err := a.w.eng.app.Accounts.Remove(ctx, domain.AccountName(name), o.Force)
	if err != nil {
		return RemoveAccountResult{}, wrap(err)
	}
	return RemoveAccountResult{Name: res.Name, OrphanedTargets: nonNil(res.Orphaned), WasActive: res.WasActive}, nil
}

// Show describes an account (the handle's when name is empty); never its
// credentials.
func (a *Accounts) Show(ctx context.Context, name string) (AccountSummary, error) {
	ctx, sel := a.w.call(ctx)
	s, err := a.w.eng.app.Accounts.Show(ctx, sel, domain.AccountName(name))
	if err != nil {
		return AccountSummary{}, wrap(err)
	}
	return fromAccountSummary(s), nil
}

// Test checks an account's credentials against /me (the handle's account
// when name is empty). The result says whether they work; when they do
// not, the error is returned too.
func (a *Accounts) Test(ctx context.Context, name string) (AccountTestResult, error) {
	ctx, sel := a.w.call(ctx)
	res, err := a.w.eng.app.Accounts.Test(ctx, sel, domain.AccountName(name))
	return fromTestResult(res), wrap(err)
}

// Login runs the OAuth browser login of an existing oauth_browser account
// and stores its tokens.
func (a *Accounts) Login(ctx context.Context, name string, o LoginOptions) (LoginResult, error) {
	res, err := a.w.eng.app.Accounts.Login(ctx, domain.AccountName(name), toAppLoginOptions(o))
	if err != nil {
		return LoginResult{}, wrap(err)
	}
	a.w.settle(ctx)
	return fromLoginResult(res), nil
}

// Logout deletes an oauth_browser account's tokens.
func (a *Accounts) Logout(ctx context.Context, name string) (LogoutResult, error) {
	res, err := a.w.eng.app.Accounts.Logout(ctx, domain.AccountName(name))
	if err != nil {
		return LogoutResult{}, wrap(err)
	}
	return LogoutResult{Account: res.Account, Removed: res.Removed}, nil
}

// Token returns an account's bearer token (the handle's account when name
// is empty), refreshed first when it is about to expire. Service accounts
// have none (CONFIG_ERROR). Keep the Secret wrapped until the moment
// it is sent.
func (a *Accounts) Token(ctx context.Context, name string) (Secret, error) {
	ctx, sel := a.w.call(ctx)
	tok, err := a.w.eng.app.Accounts.Token(ctx, sel, domain.AccountName(name))
	if err != nil {
		return Secret{}, wrap(err)
	}
	return NewSecret(tok.Reveal()), nil
}

// TokenSource returns an oauth2.TokenSource for an account — the handle's
// when name is empty — for code that calls Mixpanel with its own
// golang.org/x/oauth2 client. It serves the bearer accounts,
// oauth_browser and oauth_token; a service account authenticates with
// Basic and has no token (its Token calls fail with CONFIG_ERROR). For
// every account type, Workspace.HTTPClient gives an *http.Client that
// authenticates requests as the session.
//
// Every Token call goes through mp's token handling (like Token): an
// oauth_browser account's stored tokens are refreshed when they are within
// 30 s of expiring — one refresh per account at a time in this process, and
// across processes under the account's refresh lock — and the rotated
// tokens are written back at once (to accounts/<name>/tokens.json, or into
// the bridge file for a bridge's account). So a long-lived program keeps
// working across refresh-token rotations, and it never invalidates the
// tokens that `mp` or another program using the same account holds:
// everyone reads the latest tokens from the same file.
//
// The returned *oauth2.Token carries the access token, its type and its
// expiry (zero for an oauth_token account, whose static token does not
// expire as far as mp knows); never the refresh token, which stays with mp.
// Each call reads the token file; wrap the source in
// oauth2.ReuseTokenSource to keep a token in memory until it expires. ctx
// is used for every refresh and read (like oauth2.Config.TokenSource's);
// errors are *Error values (for example OAUTH_REFRESH_REVOKED when the
// user must log in again). With an empty name each call uses the handle's
// session at that moment.
func (a *Accounts) TokenSource(ctx context.Context, name string) oauth2.TokenSource {
	return newTokenSource(ctx, a.w.eng.app.Accounts, a.w.call, domain.AccountName(name))
}

// settle pins the session of a handle opened before any account existed,
// once one is configured. A handle with a session is left alone.
func (w *Workspace) settle(ctx context.Context) {
	w.useMu.Lock()
	defer w.useMu.Unlock()
	st := w.Session()
	if !st.zero {
		return
	}
	r, err := w.eng.app.Sessions.CheckSession(ctx, st.st.sel)
	if err != nil {
		return
	}
	w.set(newState(st.st.sel, r), false)
}

// ExportBridge writes a bridge file (docs/reference/bridge.md) for an account — the
// handle's when req.Account is empty — to req.To: the account with its
// secrets, an oauth_browser account's tokens, the pinned project and
// workspace, and the config's custom header. The file is written
// atomically with mode 0600. Accounts built from the environment cannot be
// exported (INVALID_ARGUMENT); an oauth_browser account without tokens is
// OAUTH_TOKEN_ERROR and nothing is written. The result holds no secret.
func (a *Accounts) ExportBridge(ctx context.Context, req BridgeExport) (BridgeExportResult, error) {
	ctx, sel := a.w.call(ctx)
	if req.Account == "" {
		if name := a.w.Account(); name != "" && sel.Account != "" {
			req.Account = name
		}
	}
	res, err := a.w.eng.app.Accounts.ExportBridge(ctx, toAppBridgeExport(req))
	if err != nil {
		return BridgeExportResult{}, wrap(err)
	}
	return fromBridgeExportResult(res), nil
}

// RemoveBridge deletes the bridge file at path, or — for an empty path —
// the first one found where mp looks for bridges. Removing nothing is not
// an error: the result says what happened.
func (a *Accounts) RemoveBridge(ctx context.Context, path string) (BridgeRemoveResult, error) {
	res, err := a.w.eng.app.Accounts.RemoveBridge(ctx, path)
	if err != nil {
		return BridgeRemoveResult{}, wrap(err)
	}
	return BridgeRemoveResult{Path: res.Path, Removed: res.Removed}, nil
}

// MigrateSecrets moves secrets and OAuth tokens to the backend o.To
// ("keychain" or "file") — every account's, or only o.Account's — like
// `mp account migrate-secrets`: each secret is copied, read back and
// compared, the config is switched, and only then is the old copy deleted,
// so a failure loses nothing. Moving every account also sets [settings]
// secret_backend. The result holds no secret.
func (a *Accounts) MigrateSecrets(ctx context.Context, o MigrateOptions) (MigrateResult, error) {
	res, err := a.w.eng.app.Accounts.MigrateSecrets(ctx, domain.SecretBackend(o.To), domain.AccountName(o.Account))
	if err != nil {
		return MigrateResult{}, wrap(err)
	}
	return fromMigrateResult(res), nil
}
