package mp

import (
	"context"

	"github.com/mpdata/mp/domain"
)

// Targets manages saved targets — named (account, project, workspace)
// triples — like `mp target …`.
type Targets struct{ w *Workspace }

// List returns every target, sorted by name.
func (t *Targets) List(ctx context.Context) ([]Target, error) {
	list, err := t.w.eng.app.Targets.List(ctx)
	return list, wrap(err)
}

// Add saves a target; workspace 0 means none. The account must exist.
func (t *Targets) Add(ctx context.Context, name, account, project string, workspace int64) (Target, error) {
	v, err := t.w.eng.app.Targets.Add(ctx, domain.Target{
		Name: domain.TargetName(name), Account: domain.AccountName(account),
		Project: domain.ProjectID(project), Workspace: domain.WorkspaceID(workspace),
	})
	return v, wrap(err)
}

// Remove deletes a target and returns what it was.
func (t *Targets) Remove(ctx context.Context, name string) (Target, error) {
	v, err := t.w.eng.app.Targets.Remove(ctx, domain.TargetName(name))
	return v, wrap(err)
}

// Show describes a target.
func (t *Targets) Show(ctx context.Context, name string) (Target, error) {
	v, err := t.w.eng.app.Targets.Show(ctx, domain.TargetName(name))
	return v, wrap(err)
}

// Use applies a target persistently (like `mp target use`: in one config
// transaction the active account and workspace become the target's and
// the account's default project the target's project) and switches the
// handle to it. On error neither changes.
func (t *Targets) Use(ctx context.Context, name string) (Target, error) {
	v, err := t.Show(ctx, name)
	if err != nil {
		return Target{}, err
	}
	if err := t.w.use(ctx, selectConfig{target: name, persist: true, fresh: true}); err != nil {
		return Target{}, err
	}
	return v, nil
}
