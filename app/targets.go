package app

import (
	"context"

	"go.uber.org/zap"

	"github.com/mpdata/mp/domain"
)

// Targets manages saved targets: add, list, show, use and remove.
type Targets struct {
	c   *core
	log *zap.Logger
}

// Add saves a target; its account must exist in the config. A target for
// the account of the bridge in effect (which the config does not have) is
// refused with CONFIG_ERROR naming the bridge, before the config is
// locked or created.
func (s *Targets) Add(ctx context.Context, t domain.Target) (TargetView, error) {
	if br := s.c.bridgeOnlyAccount(ctx, t.Account); br != nil {
		s.log.Debug("adding target refused: bridge account", zap.String("target", string(t.Name)), zap.String("account", string(t.Account)))
		return TargetView{}, domain.NewError(domain.CodeConfigError,
			"cannot save target '%s' for account '%s': it comes from the bridge %s, and a target names an account stored in the config", t.Name, t.Account, br.Path).
			WithDetail("account", string(t.Account)).
			WithDetail("path", br.Path).
			WithDetail("target", string(t.Name)).
			WithHint("the bridge's account needs no target: it is used whenever no other account is selected; pass --project/--workspace for a run, or export the bridge again on the host with --project/--workspace")
	}
	err := s.c.deps.Config.Update(ctx, func(cfg *domain.Config) error {
		return cfg.AddTarget(t)
	})
	if err != nil {
		s.log.Debug("adding target failed", zap.String("target", string(t.Name)), zap.String("code", string(domain.CodeOf(err))))
		return TargetView{}, err
	}
	s.log.Debug("added target", zap.String("target", string(t.Name)), zap.String("account", string(t.Account)),
		zap.String("project", string(t.Project)), zap.Int64("workspace", int64(t.Workspace)))
	return targetView(t), nil
}

// List returns every target, sorted by name; an empty slice (never nil)
// when there is none.
func (s *Targets) List(ctx context.Context) ([]TargetView, error) {
	cfg, err := s.c.deps.Config.Load(ctx)
	if err != nil {
		return nil, err
	}
	out := listTargets(cfg)
	s.log.Debug("listed targets", zap.Int("count", len(out)))
	return out, nil
}

// listTargets returns the TargetView of every target of cfg, sorted by
// name (never nil). The workspaces the views point at share one backing
// array rather than one allocation per target: a config may hold
// thousands.
func listTargets(cfg domain.Config) []TargetView {
	n := cfg.TargetCount()
	out := make([]TargetView, 0, n)
	workspaces := make([]int64, 0, n) // never grows: the pointers stay put
	for t := range cfg.AllTargets() {
		v := TargetView{Name: string(t.Name), Account: string(t.Account), Project: string(t.Project)}
		if t.Workspace.IsSet() {
			workspaces = append(workspaces, int64(t.Workspace))
			v.Workspace = &workspaces[len(workspaces)-1]
		}
		out = append(out, v)
	}
	return out
}

// Show returns one target; a missing one is TARGET_NOT_FOUND.
func (s *Targets) Show(ctx context.Context, name domain.TargetName) (TargetView, error) {
	cfg, err := s.c.deps.Config.Load(ctx)
	if err != nil {
		return TargetView{}, err
	}
	t, err := cfg.Target(name)
	if err != nil {
		return TargetView{}, err
	}
	s.log.Debug("showing target", zap.String("target", string(name)))
	return targetView(t), nil
}

// Use applies a target persistently in one transaction: [active] becomes
// the target's account and workspace, and the account's default_project
// becomes the target's project. When a bridge in effect outranks [active]
// in runs without --account or --target, the result's ShadowedByBridge and
// Note say so.
func (s *Targets) Use(ctx context.Context, name domain.TargetName) (TargetView, error) {
	var (
		used  domain.Target
		after domain.Config
	)
	err := s.c.deps.Config.Update(ctx, func(cfg *domain.Config) error {
		t, err := cfg.UseTarget(name)
		used, after = t, cfg.Clone()
		return err
	})
	if err != nil {
		s.log.Debug("using target failed", zap.String("target", string(name)), zap.String("code", string(domain.CodeOf(err))))
		return TargetView{}, err
	}
	view := targetView(used)
	view.ShadowedByBridge, view.Note = s.c.bridgeShadow(after, s.c.discoverBridgeQuietly(ctx), "target '"+string(name)+"'")
	s.log.Debug("applied target", zap.String("target", string(name)), zap.String("account", string(used.Account)),
		zap.String("project", string(used.Project)), zap.Int64("workspace", int64(used.Workspace)),
		zap.String("shadowed_by_bridge", view.ShadowedByBridge))
	return view, nil
}

// Remove deletes a target and returns what it was; a missing one is
// TARGET_NOT_FOUND.
func (s *Targets) Remove(ctx context.Context, name domain.TargetName) (TargetView, error) {
	var removed domain.Target
	err := s.c.deps.Config.Update(ctx, func(cfg *domain.Config) error {
		t, err := cfg.Target(name)
		if err != nil {
			return err
		}
		removed = t
		return cfg.RemoveTarget(name)
	})
	if err != nil {
		s.log.Debug("removing target failed", zap.String("target", string(name)), zap.String("code", string(domain.CodeOf(err))))
		return TargetView{}, err
	}
	s.log.Debug("removed target", zap.String("target", string(name)))
	return targetView(removed), nil
}
