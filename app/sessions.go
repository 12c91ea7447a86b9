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

// Resolve runs the full resolution chain (behavior.md §2) over sel, the
// environment and the config. The result holds the account's credentials:
// callers must not print it.
func (s *Sessions) Resolve(ctx context.Context, sel domain.Selection) (domain.Resolution, error) {
	cfg, err := s.c.deps.Config.Load(ctx)
	if err != nil {
		return domain.Resolution{}, err
	}
	r, err := domain.Resolve(s.c.input(sel, cfg))
	if err != nil {
		s.log.Debug("resolution failed", zap.String("code", string(domain.CodeOf(err))))
		return domain.Resolution{}, err
	}
	s.log.Debug("resolved session",
		zap.String("account", string(r.Session.Account.Name)),
		zap.String("account_source", r.Provenance.Account.Winner.Source.String()),
		zap.String("project", string(r.Session.Project)),
		zap.String("project_source", r.Provenance.Project.Winner.Source.String()),
		zap.Int64("workspace", int64(r.Session.Workspace)),
		zap.String("workspace_source", r.Provenance.Workspace.Winner.Source.String()))
	return r, nil
}

// Show returns the resolved state without credentials; with explain it adds
// the per-axis provenance. Project and workspace names and the user's email
// come from the account's cached /me answer (memory or disk, fresh or
// stale) and are nil without one; Show never calls Mixpanel. An unsafe
// cache file is an error (CREDENTIAL_FILE_UNSAFE). The bridge is nil until
// bridge support exists.
func (s *Sessions) Show(ctx context.Context, sel domain.Selection, explain bool) (SessionView, error) {
	r, err := s.Resolve(ctx, sel)
	if err != nil {
		return SessionView{}, err
	}
	sess, prov := r.Session, r.Provenance
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
	me, ok, err := s.c.cachedMe(ctx, sess.Account, isEnvBuilt(prov.Account))
	if err != nil {
		return SessionView{}, err
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
			Account:   axisExplain(prov.Account),
			Project:   axisExplain(prov.Project),
			Workspace: axisExplain(prov.Workspace),
		}
	}
	return view, nil
}
