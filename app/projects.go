package app

import (
	"context"

	"go.uber.org/zap"

	"github.com/mpdata/mp/domain"
)

// Projects reads and sets the project of the resolved account (its
// default_project; there is no active project).
type Projects struct {
	c   *core
	log *zap.Logger
}

// Use sets the default_project of the account the resolver picks from sel
// and the environment (account axis only), in one transaction. An account
// built from the environment cannot be changed (CONFIG_ERROR with a hint).
// When a higher-priority source overrides the new default in this run, the
// result's ShadowedBy names it.
func (s *Projects) Use(ctx context.Context, sel domain.Selection, id domain.ProjectID) (ProjectView, error) {
	if _, err := domain.ParseProjectID(string(id)); err != nil {
		return ProjectView{}, err
	}
	var (
		account domain.AccountName
		after   domain.Config
	)
	err := s.c.deps.Config.Update(ctx, func(cfg *domain.Config) error {
		a, prov, err := domain.ResolveAccount(s.c.input(sel, *cfg))
		if err != nil {
			return err
		}
		if isEnvBuilt(prov) {
			return errEnvAccountReadOnly(a.Name, "set the default project of")
		}
		if err := cfg.SetDefaultProject(a.Name, id); err != nil {
			return err
		}
		account, after = a.Name, cfg.Clone()
		return nil
	})
	if err != nil {
		s.log.Debug("setting default project failed", zap.String("project", string(id)), zap.String("code", string(domain.CodeOf(err))))
		return ProjectView{}, err
	}
	written := domain.Source{Kind: domain.SourceAccountDefault, Name: string(account)}
	view := ProjectView{ID: string(id), Account: string(account), Source: written.String()}
	if r, err := domain.Resolve(s.c.input(sel, after)); err == nil && r.Provenance.Project.Winner.Source != written {
		view.ShadowedBy = r.Provenance.Project.Winner.Source.String()
	}
	s.log.Debug("set default project", zap.String("account", string(account)), zap.String("project", string(id)),
		zap.String("shadowed_by", view.ShadowedBy))
	return view, nil
}

// Show returns the project the resolver picks from sel, the environment and
// the config, with its source.
func (s *Projects) Show(ctx context.Context, sel domain.Selection) (ProjectView, error) {
	cfg, err := s.c.deps.Config.Load(ctx)
	if err != nil {
		return ProjectView{}, err
	}
	r, err := domain.Resolve(s.c.input(sel, cfg))
	if err != nil {
		return ProjectView{}, err
	}
	view := ProjectView{
		ID:      string(r.Session.Project),
		Account: string(r.Session.Account.Name),
		Source:  r.Provenance.Project.Winner.Source.String(),
	}
	s.log.Debug("showing project", zap.String("account", view.Account), zap.String("project", view.ID), zap.String("source", view.Source))
	return view, nil
}
