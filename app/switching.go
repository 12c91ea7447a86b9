package app

import (
	"context"

	"go.uber.org/zap"

	"github.com/mpdata/mp/domain"
)

// Check resolves sel like Resolve and then checks, without the network,
// that the session's account can be used: an oauth_browser account must
// have stored tokens — in the token store, or in the bridge file for the
// bridge's account (OAUTH_TOKEN_ERROR otherwise; expired tokens are fine,
// they are refreshed on first use). It is what a library handle runs
// before switching to a new session, so that a failed switch leaves the
// old session in force. It reads the config and, for oauth_browser
// accounts, the token store; never Mixpanel.
func (s *Sessions) Check(ctx context.Context, sel domain.Selection) (domain.Resolution, error) {
	c, err := s.CheckSession(ctx, sel)
	return c.Resolution, err
}

// CheckedSession is the outcome of Sessions.CheckSession.
type CheckedSession struct {
	// Resolution is the resolved session.
	domain.Resolution
	// Bridge pins the bridge the session's account comes from; zero when
	// it does not come from a bridge. A long-lived session passes it with
	// WithBridgePin to later calls.
	Bridge BridgePin
	// Explained is the Provenance on the heap, shared by every answer a
	// remembered check gives, so that a caller can keep it per session
	// without a copy (nil when the answer is not from CheckIDs).
	Explained *domain.Provenance
}

// CheckSession is Check that also tells which bridge, if any, the
// session's account comes from.
func (s *Sessions) CheckSession(ctx context.Context, sel domain.Selection) (CheckedSession, error) {
	_, checked, err := s.checkSession(ctx, sel)
	return checked, err
}

// checkSession is CheckSession that also returns the resolved session.
func (s *Sessions) checkSession(ctx context.Context, sel domain.Selection) (session, CheckedSession, error) {
	ses, err := s.resolve(ctx, sel)
	if err != nil {
		return session{}, CheckedSession{}, err
	}
	r := ses.Resolution
	acct := r.Session.Account
	if acct.Type == domain.TypeOAuthBrowser {
		// The bridge's account keeps its tokens in the bridge file.
		store, err := s.c.tokensOf(ses.origin)
		if err != nil {
			return session{}, CheckedSession{}, err
		}
		if _, err := s.c.loadTokens(ctx, store, acct.Name); err != nil {
			s.log.Debug("session check failed", zap.String("account", string(acct.Name)), zap.String("code", string(domain.CodeOf(err))))
			return session{}, CheckedSession{}, err
		}
	}
	return ses, CheckedSession{Resolution: r, Bridge: pinOf(ses.origin)}, nil
}

// Persist writes the resolved session r to the config in one transaction:
// [active] becomes r's account and workspace (cleared when r has none) and
// the account's default_project becomes r's project — what `mp target use`
// does for a target. An account that exists only in the environment
// cannot be persisted (INVALID_ARGUMENT), and neither can the account of
// a bridge (CONFIG_ERROR: it is not stored in the config); the config is
// then left untouched (not even created).
func (s *Sessions) Persist(ctx context.Context, r domain.Resolution) error {
	sess := r.Session
	if isEnvBuilt(r.Provenance.Account) {
		return domain.NewError(domain.CodeInvalidArgument,
			"account '%s' comes from the environment (%s), so it cannot be saved as the active session", sess.Account.Name, envVarsOf(sess.Account.Name)).
			WithDetail("account", string(sess.Account.Name)).
			WithHint("add it with `mp account add` (or `mp login`) first, then persist that account")
	}
	if err := s.refuseBridgeAccount(ctx, r); err != nil {
		return err
	}
	err := s.c.deps.Config.Update(ctx, func(cfg *domain.Config) error {
		if err := cfg.UseAccount(sess.Account.Name); err != nil {
			return err
		}
		if err := cfg.SetDefaultProject(sess.Account.Name, sess.Project); err != nil {
			return err
		}
		if sess.Workspace.IsSet() {
			return cfg.SetActiveWorkspace(sess.Workspace)
		}
		cfg.ClearActiveWorkspace()
		return nil
	})
	if err != nil {
		s.log.Debug("persisting the session failed", zap.String("account", string(sess.Account.Name)), zap.String("code", string(domain.CodeOf(err))))
		return err
	}
	s.log.Debug("persisted the session", zap.String("account", string(sess.Account.Name)),
		zap.String("project", string(sess.Project)), zap.Int64("workspace", int64(sess.Workspace)))
	return nil
}

// refuseBridgeAccount refuses to persist a session whose account comes
// from a bridge: the resolver picked the bridge, or the account is the
// bridge's and the config has none of that name.
func (s *Sessions) refuseBridgeAccount(ctx context.Context, r domain.Resolution) error {
	acct := r.Session.Account
	if w := r.Provenance.Account.Winner.Source; w.Kind == domain.SourceBridge {
		return errBridgeAccountReadOnly(&domain.Bridge{Path: w.Name, Account: acct}, "save the session of").
			WithHint("the bridge's account is used as it is; to make it the active account of a config, add it there (on the host: mp account add)")
	}
	cfg, br, err := s.c.load(ctx)
	if err != nil {
		return err
	}
	if o := originOf(r.Provenance.Account, acct, cfg, br); o.bridge != nil {
		return errBridgeAccountReadOnly(o.bridge, "save the session of").
			WithHint("the bridge's account is used as it is; to make it the active account of a config, add it there (on the host: mp account add)")
	}
	return nil
}
