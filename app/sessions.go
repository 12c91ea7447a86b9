package app

import (
	"context"

	"go.uber.org/zap"

	"github.com/mpdata/mp/domain"
)

// Sessions resolves the session of a run and explains it.
type Sessions struct {
	c   *core
	log *zap.Logger
}

// Resolve runs the full resolution chain (docs/reference/resolution.md) over sel, the
// environment, the bridge in effect (if any) and the config. The result
// holds the account's credentials: callers must not print it.
func (s *Sessions) Resolve(ctx context.Context, sel domain.Selection) (domain.Resolution, error) {
	ses, err := s.resolve(ctx, sel)
	return ses.Resolution, err
}

// resolve is Resolve with the origin of the account and the bridge.
func (s *Sessions) resolve(ctx context.Context, sel domain.Selection) (session, error) {
	ses, err := s.c.resolve(ctx, sel)
	if err != nil {
		s.log.Debug("resolution failed", zap.String("code", string(domain.CodeOf(err))))
		return session{}, err
	}
	r := ses.Resolution
	s.log.Debug("resolved session",
		zap.String("account", string(r.Session.Account.Name)),
		zap.String("account_source", r.Provenance.Account.Winner.Source.String()),
		zap.String("project", string(r.Session.Project)),
		zap.String("project_source", r.Provenance.Project.Winner.Source.String()),
		zap.Int64("workspace", int64(r.Session.Workspace)),
		zap.String("workspace_source", r.Provenance.Workspace.Winner.Source.String()))
	return ses, nil
}

// Show returns the resolved state without credentials; with explain it adds
// the per-axis provenance. Project and workspace names and the user's email
// come from the account's cached /me answer (memory or disk, fresh or
// stale) and are nil without one; Show never calls Mixpanel. An unsafe
// cache file is an error (CREDENTIAL_FILE_UNSAFE). Bridge holds the path of
// the bridge in effect, if any (whether or not the session's account is
// its account).
//
// With explain, a resolution that fails on one axis still returns, with
// its error, the view of the axes that did resolve before it: their
// fields and provenance, Explain.Failed naming the failed axis and its
// error (`mp session --explain` prints them before failing).
func (s *Sessions) Show(ctx context.Context, sel domain.Selection, explain bool) (SessionView, error) {
	view, _, err := s.show(ctx, sel, explain)
	return view, err
}

// ShowBridge is Show with the bridge in effect described in full (`mp
// session --bridge`): its path, its account's name, type and region, the
// pinned project and workspace, and the header names and values — never a
// secret. Without a bridge in effect it is CONFIG_ERROR.
func (s *Sessions) ShowBridge(ctx context.Context, sel domain.Selection, explain bool) (SessionView, error) {
	view, ses, err := s.show(ctx, sel, explain)
	if err != nil {
		if br, derr := s.c.discoverBridge(ctx); derr == nil && br == nil {
			return SessionView{}, errNoBridge()
		}
		return view, err
	}
	if ses.bridge == nil {
		return SessionView{}, errNoBridge()
	}
	view.Bridge = bridgeView(ses.bridge)
	return view, nil
}

// errNoBridge is the CONFIG_ERROR of `mp session --bridge` without a bridge.
func errNoBridge() *domain.Error {
	return domain.NewError(domain.CodeConfigError, "no bridge file is in effect").
		WithDetail("looked_at", []string{"$MP_AUTH_FILE (only it, when set)", "~/.claude/mixpanel/auth.json", "./mixpanel_auth.json"}).
		WithHint("write one on the host with `mp account export-bridge --to PATH`, then point MP_AUTH_FILE at it or put it at ~/.claude/mixpanel/auth.json")
}

// bridgeView describes b without its secrets.
func bridgeView(b *domain.Bridge) *SessionBridge {
	v := &SessionBridge{
		Path: b.Path,
		Account: &BridgeAccountView{
			Name: string(b.Account.Name), Type: string(b.Account.Type), Region: string(b.Account.Region),
		},
		Headers: map[string]string{},
	}
	if b.Account.DefaultProject.IsSet() {
		p := string(b.Account.DefaultProject)
		v.Account.DefaultProject = &p
	}
	if b.Project.IsSet() {
		p := string(b.Project)
		v.Project = &p
	}
	if b.Workspace.IsSet() {
		w := int64(b.Workspace)
		v.Workspace = &w
	}
	for _, h := range b.Headers {
		v.Headers[h.Name] = h.Value
	}
	return v
}

func (s *Sessions) show(ctx context.Context, sel domain.Selection, explain bool) (SessionView, session, error) {
	ses, err := s.resolve(ctx, sel)
	if err != nil {
		if explain {
			return s.partial(ctx, sel, err), session{}, err
		}
		return SessionView{}, session{}, err
	}
	sess, prov := ses.Session, ses.Provenance
	view := SessionView{
		Account: SessionAccount{
			Name:   string(sess.Account.Name),
			Type:   string(sess.Account.Type),
			Region: string(sess.Account.Region),
			Source: prov.Account.Winner.Source.String(),
		},
		Project: SessionProject{
			ID:     string(sess.Project),
			Source: prov.Project.Winner.Source.String(),
		},
	}
	if sess.Workspace.IsSet() {
		view.Workspace = &SessionWorkspace{
			ID:     int64(sess.Workspace),
			Source: prov.Workspace.Winner.Source.String(),
		}
	}
	if ses.bridge != nil {
		view.Bridge = &SessionBridge{Path: ses.bridge.Path}
	}
	me, ok, err := s.c.cachedMe(ctx, sess.Account, ses.origin.memoryOnly())
	if err != nil {
		return SessionView{}, session{}, err
	}
	if ok {
		if p, found := me.Project(sess.Project); found {
			view.Project.Name = &p.Name
		}
		if view.Workspace != nil {
			if w, found := me.Workspace(sess.Workspace); found {
				view.Workspace.Name = &w.Name
			}
		}
		if me.User.Email != "" {
			view.User = &SessionUser{Email: me.User.Email}
		}
	}
	if explain {
		view.Explain = &SessionExplain{
			Account:   ExplainAxis(prov.Account),
			Project:   ExplainAxis(prov.Project),
			Workspace: ExplainAxis(prov.Workspace),
		}
	}
	return view, ses, nil
}

// partial is the view of a resolution that failed with err: the axes that
// resolved before the failing one, with their provenance, and the failure
// (Explain.Failed; when the account axis itself failed, only that and the
// bridge's path). It is empty when the failure is not an axis's (the
// config or the bridge cannot be read, a pinned bridge changed). It never
// reads the /me cache.
func (s *Sessions) partial(ctx context.Context, sel domain.Selection, err error) SessionView {
	cfg, br, lerr := s.c.load(ctx)
	if lerr != nil {
		return SessionView{}
	}
	res, failed, rerr := domain.ResolvePartial(s.c.inputWith(sel, cfg, br))
	if rerr == nil || rerr.Error() != err.Error() {
		return SessionView{}
	}
	view := SessionView{Explain: &SessionExplain{Failed: &AxisFailure{Axis: string(failed), Code: string(domain.CodeOf(rerr)), Message: rerr.Error()}}}
	if br != nil {
		view.Bridge = &SessionBridge{Path: br.Path}
	}
	if failed == domain.AxisAccount {
		return view
	}
	sess, prov := res.Session, res.Provenance
	view.Account = SessionAccount{
		Name: string(sess.Account.Name), Type: string(sess.Account.Type), Region: string(sess.Account.Region),
		Source: prov.Account.Winner.Source.String(),
	}
	view.Explain.Account = ExplainAxis(prov.Account)
	if failed == domain.AxisWorkspace {
		view.Project = SessionProject{ID: string(sess.Project), Source: prov.Project.Winner.Source.String()}
		view.Explain.Project = ExplainAxis(prov.Project)
	}
	s.log.Debug("partial session", zap.String("failed", string(failed)), zap.String("account", view.Account.Name))
	return view
}
