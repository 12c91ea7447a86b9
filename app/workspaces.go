package app

import (
	"context"

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
// use` first). When a higher-priority source overrides the new workspace in
// this run, the result's ShadowedBy names it.
func (s *Workspaces) Use(ctx context.Context, sel domain.Selection, id domain.WorkspaceID) (WorkspaceView, error) {
	if _, err := domain.NewWorkspaceID(int64(id)); err != nil {
		return WorkspaceView{}, err
	}
	var (
		account domain.Account
		after   domain.Config
	)
	err := s.c.deps.Config.Update(ctx, func(cfg *domain.Config) error {
		a, prov, err := domain.ResolveAccount(s.c.input(sel, *cfg))
		if err != nil {
			return err
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
	if r, err := domain.Resolve(s.c.input(sel, after)); err == nil {
		view.Project = string(r.Session.Project)
		if r.Provenance.Workspace.Winner.Source != written {
			view.ShadowedBy = r.Provenance.Workspace.Winner.Source.String()
		}
	}
	s.log.Debug("set active workspace", zap.String("account", view.Account), zap.Int64("workspace", ws),
		zap.String("shadowed_by", view.ShadowedBy))
	return view, nil
}

// Show returns the workspace the resolver picks from sel, the environment
// and the config. When none is set, ID is nil and Source is "none": the
// workspace is resolved on first use.
func (s *Workspaces) Show(ctx context.Context, sel domain.Selection) (WorkspaceView, error) {
	cfg, err := s.c.deps.Config.Load(ctx)
	if err != nil {
		return WorkspaceView{}, err
	}
	r, err := domain.Resolve(s.c.input(sel, cfg))
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
