package app

import (
	"context"
	"fmt"
	"sort"

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
// result's ShadowedBy names it. Before writing, the id is looked up in the
// account's /me answer (cached, else fetched): a project /me does not list
// is PROJECT_NOT_FOUND and nothing is written. The result carries the
// project's name, or a Warning when /me cannot be reached (then the id is
// written unchecked). When a bridge in effect
// outranks the account in runs without --account or --target, the
// result's ShadowedByBridge and Note say so.
func (s *Projects) Use(ctx context.Context, sel domain.Selection, id domain.ProjectID) (ProjectView, error) {
	if _, err := domain.ParseProjectID(string(id)); err != nil {
		return ProjectView{}, err
	}
	var (
		account domain.AccountName
		after   domain.Config
	)
	br, err := s.c.discoverBridge(ctx)
	if err != nil {
		return ProjectView{}, err
	}
	meErr, err := s.refuseUnlisted(ctx, sel, br, id)
	if err != nil {
		return ProjectView{}, err
	}
	err = s.c.deps.Config.Update(ctx, func(cfg *domain.Config) error {
		a, prov, err := domain.ResolveAccount(s.c.inputWith(sel, *cfg, br))
		if err != nil {
			return err
		}
		if isEnvBuilt(prov) {
			return errEnvAccountReadOnly(a.Name, "set the default project of")
		}
		if o := originOf(prov, a, *cfg, br); o.bridge != nil {
			return errBridgeAccountReadOnly(o.bridge, "set the default project of")
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
	if r, err := domain.Resolve(s.c.inputWith(sel, after, br)); err == nil && r.Provenance.Project.Winner.Source != written {
		view.ShadowedBy = r.Provenance.Project.Winner.Source.String()
	}
	view.ShadowedByBridge, view.Note = s.c.bridgeShadow(after, br, fmt.Sprintf("the default project %s of account '%s'", id, account))
	s.log.Debug("set default project", zap.String("account", string(account)), zap.String("project", string(id)),
		zap.String("shadowed_by", view.ShadowedBy), zap.String("shadowed_by_bridge", view.ShadowedByBridge))
	if meErr != nil {
		view.Warning = fmt.Sprintf("could not check project %s against /me: %v", id, meErr)
		return view, nil
	}
	s.check(ctx, &view, after, account, id)
	return view, nil
}

// refuseUnlisted refuses (PROJECT_NOT_FOUND, nothing written) a project
// the account's /me answer does not list — the same rule as a library
// switch. When there is no config account to check (the account is built
// from the environment, or the bridge's) the transaction reports that;
// when /me cannot be reached its error is meErr: the id is written
// unchecked, with a warning.
func (s *Projects) refuseUnlisted(ctx context.Context, sel domain.Selection, br *domain.Bridge, id domain.ProjectID) (meErr, err error) {
	cfg, err := s.c.deps.Config.Load(ctx)
	if err != nil {
		return nil, err
	}
	a, prov, err := domain.ResolveAccount(s.c.inputWith(sel, cfg, br))
	if err != nil || isEnvBuilt(prov) || originOf(prov, a, cfg, br).bridge != nil {
		return nil, nil
	}
	if _, err := s.c.me(ctx, a, origin{}, headersOf(cfg), false); err != nil {
		s.log.Debug("project check skipped", zap.String("project", string(id)), zap.String("code", string(domain.CodeOf(err))))
		return err, nil
	}
	return nil, s.c.verifyProject(ctx, a, origin{}, headersOf(cfg), id, sel.Account)
}

// check looks the project up in the account's /me answer (cached or
// fetched) and fills the view's Name, or its Warning when the project is
// not listed or /me cannot be reached. It never fails.
func (s *Projects) check(ctx context.Context, view *ProjectView, cfg domain.Config, account domain.AccountName, id domain.ProjectID) {
	acct, ok := cfg.Account(account)
	if !ok {
		return
	}
	me, err := s.c.me(ctx, acct, origin{}, headersOf(cfg), false)
	if err != nil {
		view.Warning = fmt.Sprintf("could not check project %s against /me: %v", id, err)
		s.log.Debug("project check skipped", zap.String("project", string(id)), zap.String("code", string(domain.CodeOf(err))))
		return
	}
	if p, ok := me.Project(id); ok {
		view.Name = p.Name
		return
	}
	view.Warning = fmt.Sprintf("project %s is not among the %d projects account %s can see (mp project list)", id, len(me.Projects), account)
	s.log.Debug("project not in /me", zap.String("project", string(id)), zap.Int("projects", len(me.Projects)))
}

// List returns the projects the resolved account can see (from /me; an
// account without a default project works), sorted by name, with the
// session's project marked active. refresh bypasses the /me caches.
func (s *Projects) List(ctx context.Context, sel domain.Selection, refresh bool) ([]ProjectSummary, error) {
	ra, err := s.c.account(ctx, sel, "")
	if err != nil {
		return nil, err
	}
	me, err := s.c.me(ctx, ra.account, ra.origin, ra.headers(), refresh)
	if err != nil {
		return nil, err
	}
	var active domain.ProjectID
	if r, err := domain.Resolve(s.c.inputWith(sel, ra.cfg, ra.bridge)); err == nil && r.Session.Account.Name == ra.account.Name {
		active = r.Session.Project
	}
	orgs := make(map[int64]string, len(me.Organizations))
	for _, o := range me.Organizations {
		orgs[o.ID] = o.Name
	}
	out := make([]ProjectSummary, 0, len(me.Projects))
	for _, p := range me.Projects {
		out = append(out, ProjectSummary{
			ID: string(p.ID), Name: p.Name, OrganizationID: p.OrganizationID, OrganizationName: orgs[p.OrganizationID],
			Timezone: p.Timezone, Domain: p.Domain, IsActive: p.ID == active,
		})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	s.log.Debug("listed projects", zap.String("account", string(ra.account.Name)), zap.Int("count", len(out)),
		zap.String("active", string(active)))
	return out, nil
}

// Show returns the project the resolver picks from sel, the environment and
// the config, with its source.
func (s *Projects) Show(ctx context.Context, sel domain.Selection) (ProjectView, error) {
	cfg, br, err := s.c.load(ctx)
	if err != nil {
		return ProjectView{}, err
	}
	r, err := domain.Resolve(s.c.inputWith(sel, cfg, br))
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
