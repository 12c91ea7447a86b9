package app

import (
	"context"
	"sort"

	"go.uber.org/zap"

	"github.com/mpdata/mp/domain"
)

// Workspaces reads and sets the active workspace.
type Workspaces struct {
	c   *core
	log *zap.Logger
}

// Use writes [active].workspace in one transaction. The active workspace
// belongs to the active account, so when sel or the environment picks
// another account the call fails with INVALID_ARGUMENT (hint: `mp account
// use` first); when the account comes from the bridge, with CONFIG_ERROR
// naming the bridge (as `project use` does). A workspace that is not one
// of the session project's workspaces (from /me, else the workspaces
// endpoint) is INVALID_ARGUMENT and nothing is written. When a
// higher-priority source overrides the new workspace in this run, the
// result's ShadowedBy names it.
func (s *Workspaces) Use(ctx context.Context, sel domain.Selection, id domain.WorkspaceID) (WorkspaceView, error) {
	if _, err := domain.NewWorkspaceID(int64(id)); err != nil {
		return WorkspaceView{}, err
	}
	var (
		account domain.Account
		after   domain.Config
	)
	br, err := s.c.discoverBridge(ctx)
	if err != nil {
		return WorkspaceView{}, err
	}
	if err := s.refuseForeign(ctx, sel, id); err != nil {
		return WorkspaceView{}, err
	}
	err = s.c.deps.Config.Update(ctx, func(cfg *domain.Config) error {
		a, prov, err := domain.ResolveAccount(s.c.inputWith(sel, *cfg, br))
		if err != nil {
			return err
		}
		if o := originOf(prov, a, *cfg, br); o.bridge != nil {
			return domain.NewError(domain.CodeConfigError,
				"cannot set the active workspace: this run uses account '%s' from the bridge %s, and the active workspace belongs to the config's active account", a.Name, o.bridge.Path).
				WithDetail("account", string(a.Name)).
				WithDetail("path", o.bridge.Path).
				WithHint("pass --workspace ID (or export MP_WORKSPACE_ID) for this run, or export the bridge again on the host with --workspace ID")
		}
		active := cfg.Active().Account
		if isEnvBuilt(prov) {
			return domain.NewError(domain.CodeInvalidArgument,
				"cannot set the active workspace: this run uses account '%s', built from the environment variables %s, and the active workspace belongs to the active account", a.Name, envVarsOf(a.Name)).
				WithDetail("account", string(a.Name)).
				WithHint("use MP_WORKSPACE_ID or --workspace with the env-built account, or unset its variables to work with the active account")
		}
		if a.Name != active {
			e := domain.NewError(domain.CodeInvalidArgument,
				"cannot set the active workspace for account '%s' (chosen by %s): the active workspace belongs to the active account", a.Name, prov.Winner.Source).
				WithDetail("account", string(a.Name)).
				WithDetail("active_account", string(active))
			return e.WithHint("make it active first with `mp account use %s`, then run `mp workspace use %d`", a.Name, id)
		}
		if err := cfg.SetActiveWorkspace(id); err != nil {
			return err
		}
		account, after = a, cfg.Clone()
		return nil
	})
	if err != nil {
		s.log.Debug("setting active workspace failed", zap.Int64("workspace", int64(id)), zap.String("code", string(domain.CodeOf(err))))
		return WorkspaceView{}, err
	}
	written := domain.Source{Kind: domain.SourceActive, Name: "[active]"}
	ws := int64(id)
	view := WorkspaceView{ID: &ws, Source: written.String(), Account: string(account.Name)}
	if account.DefaultProject.IsSet() {
		view.Project = string(account.DefaultProject)
	}
	if r, err := domain.Resolve(s.c.inputWith(sel, after, br)); err == nil {
		view.Project = string(r.Session.Project)
		if r.Provenance.Workspace.Winner.Source != written {
			view.ShadowedBy = r.Provenance.Workspace.Winner.Source.String()
		}
	}
	s.log.Debug("set active workspace", zap.String("account", view.Account), zap.Int64("workspace", ws),
		zap.String("shadowed_by", view.ShadowedBy))
	return view, nil
}

// refuseForeign refuses (INVALID_ARGUMENT, nothing written) a workspace
// that is not one of the session project's workspaces — the same rule as
// a library switch. Without a session to check against (no project, an
// account the transaction refuses) or when the list cannot be fetched, the
// transaction decides alone.
func (s *Workspaces) refuseForeign(ctx context.Context, sel domain.Selection, id domain.WorkspaceID) error {
	sel.Workspace = id
	ses, err := s.c.resolve(ctx, sel)
	if err != nil {
		return nil
	}
	if _, err := s.c.projectWorkspaces(ctx, ses, false); err != nil {
		return nil
	}
	return s.c.verifyWorkspace(ctx, ses, sel.Account)
}

// Show returns the workspace the resolver picks from sel, the environment
// and the config. When none is set, ID is nil and Source is "none": the
// workspace is resolved on first use.
func (s *Workspaces) Show(ctx context.Context, sel domain.Selection) (WorkspaceView, error) {
	cfg, br, err := s.c.load(ctx)
	if err != nil {
		return WorkspaceView{}, err
	}
	r, err := domain.Resolve(s.c.inputWith(sel, cfg, br))
	if err != nil {
		return WorkspaceView{}, err
	}
	view := WorkspaceView{
		Source:  r.Provenance.Workspace.Winner.Source.String(),
		Account: string(r.Session.Account.Name),
		Project: string(r.Session.Project),
	}
	if r.Session.Workspace.IsSet() {
		w := int64(r.Session.Workspace)
		view.ID = &w
	}
	s.log.Debug("showing workspace", zap.String("account", view.Account), zap.Int64("workspace", int64(r.Session.Workspace)),
		zap.String("source", view.Source))
	return view, nil
}

// List returns the workspaces of the session's project, sorted by id: the
// project's workspaces in /me when /me lists any, else those of
// GET /api/app/projects/{id}/workspaces/public. The session's workspace is
// marked active or, when none is set, the one a workspace-scoped call would
// pick (docs/reference/http.md). refresh bypasses the /me caches.
func (s *Workspaces) List(ctx context.Context, sel domain.Selection, refresh bool) ([]WorkspaceSummary, error) {
	ses, err := s.c.resolve(ctx, sel)
	if err != nil {
		return nil, err
	}
	ws, err := s.c.projectWorkspaces(ctx, ses, refresh)
	if err != nil {
		return nil, err
	}
	sess := ses.Session
	active := sess.Workspace
	if !active.IsSet() {
		if w, ok := domain.DefaultWorkspace(ws); ok {
			active = w.ID
			s.c.mu.Lock()
			s.c.lazy[wsKey{sess.Account.Name, sess.Project}] = w
			s.c.mu.Unlock()
		}
	}
	out := make([]WorkspaceSummary, 0, len(ws))
	for _, w := range ws {
		out = append(out, WorkspaceSummary{ID: int64(w.ID), Name: w.Name, IsDefault: w.IsDefault, IsActive: w.ID == active})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	s.log.Debug("listed workspaces", zap.String("account", string(sess.Account.Name)), zap.String("project", string(sess.Project)),
		zap.Int("count", len(out)), zap.Int64("active", int64(active)))
	return out, nil
}

// projectWorkspaces lists the workspaces of the session's project: from
// /me when it lists any for the project, else from the workspaces
// endpoint — fetched once per (account, project) for the life of the App
// unless refresh.
func (c *core) projectWorkspaces(ctx context.Context, ses session, refresh bool) ([]domain.Workspace, error) {
	sess := ses.Session
	me, err := c.me(ctx, sess.Account, ses.origin, sess.Headers, refresh)
	if err != nil {
		return nil, err
	}
	if ws := me.ProjectWorkspaces(sess.Project); len(ws) > 0 {
		return ws, nil
	}
	key := wsKey{sess.Account.Name, sess.Project}
	if !refresh {
		c.mu.Lock()
		ws, ok := c.wsLists[key]
		c.mu.Unlock()
		if ok {
			return ws, nil
		}
	}
	api, err := c.api()
	if err != nil {
		return nil, err
	}
	scope, err := c.sessionScope(ctx, ses)
	if err != nil {
		return nil, err
	}
	scope.Workspace = 0
	ws, err := api.Workspaces(ctx, scope)
	if err != nil {
		return nil, err
	}
	c.deps.Log.Debug("workspaces from the workspaces endpoint", zap.String("project", string(sess.Project)), zap.Int("count", len(ws)))
	c.mu.Lock()
	c.wsLists[key] = ws
	c.gen++
	c.mu.Unlock()
	return ws, nil
}

// workspace returns the workspace a workspace-scoped call uses: the
// session's when set, else the project's default workspace (else its first
// by id), resolved once per (account, project) for the life of the App.
// A project without workspaces is NO_WORKSPACES.
func (c *core) workspace(ctx context.Context, ses session) (domain.WorkspaceID, error) {
	sess := ses.Session
	if sess.Workspace.IsSet() {
		return sess.Workspace, nil
	}
	key := wsKey{sess.Account.Name, sess.Project}
	c.mu.Lock()
	w, ok := c.lazy[key]
	c.mu.Unlock()
	if ok {
		return w.ID, nil
	}
	ws, err := c.projectWorkspaces(ctx, ses, false)
	if err != nil {
		return 0, err
	}
	w, ok = domain.DefaultWorkspace(ws)
	if !ok {
		return 0, domain.NewError(domain.CodeNoWorkspaces, "project %s of account '%s' has no workspaces", sess.Project, sess.Account.Name).
			WithDetail("account", string(sess.Account.Name)).
			WithDetail("project", string(sess.Project)).
			WithHint("check the project in Mixpanel, or pass --workspace ID if you know the workspace")
	}
	c.mu.Lock()
	c.lazy[key] = w
	c.mu.Unlock()
	c.deps.Log.Debug("resolved the workspace lazily", zap.String("account", string(sess.Account.Name)),
		zap.String("project", string(sess.Project)), zap.Int64("workspace", int64(w.ID)), zap.Bool("default", w.IsDefault))
	return w.ID, nil
}
