package mp

import (
	"context"

	"github.com/mpdata/mp/domain"
)

// Targets manages saved targets — named (account, project, workspace)
// triples — like `mp target …`. Select one with WithTarget.
type Targets struct{ w *Workspace }

// List returns every target, sorted by name.
func (t *Targets) List(ctx context.Context) ([]Target, error) {
	list, err := t.w.eng.app.Targets.List(ctx)
	if err != nil {
		return nil, wrap(err)
	}
	out := make([]Target, len(list))
	for i, v := range list {
		out[i] = fromTarget(v)
	}
	return out, nil
}

// Add saves a target (Workspace zero: none). The account must exist and
// the name must be free (TARGET_EXISTS otherwise).
func (t *Targets) Add(ctx context.Context, target Target) (Target, error) {
	v, err := t.w.eng.app.Targets.Add(ctx, domain.Target{
		Name: domain.TargetName(target.Name), Account: domain.AccountName(target.Account),
		Project: domain.ProjectID(target.Project), Workspace: domain.WorkspaceID(target.Workspace),
	})
	if err != nil {
		return Target{}, wrap(err)
	}
	return fromTarget(v), nil
}

// Remove deletes a target and returns what it was.
func (t *Targets) Remove(ctx context.Context, name string) (Target, error) {
	v, err := t.w.eng.app.Targets.Remove(ctx, domain.TargetName(name))
	if err != nil {
		return Target{}, wrap(err)
	}
	return fromTarget(v), nil
}

// Show describes a target.
func (t *Targets) Show(ctx context.Context, name string) (Target, error) {
	v, err := t.w.eng.app.Targets.Show(ctx, domain.TargetName(name))
	if err != nil {
		return Target{}, wrap(err)
	}
	return fromTarget(v), nil
}
