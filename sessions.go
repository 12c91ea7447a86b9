package mp

import "context"

// Sessions shows and persists the handle's session, like `mp session`.
type Sessions struct{ w *Workspace }

// Show describes the handle's session — account, project, workspace, the
// user's email — with names from the cached /me answer, never the
// network. With explain it adds, per axis, which source won and which it
// shadowed.
func (s *Sessions) Show(ctx context.Context, explain bool) (SessionView, error) {
	ctx, sel := s.w.call(ctx)
	v, err := s.w.eng.app.Sessions.Show(ctx, sel, explain)
	return v, wrap(err)
}

// Use switches the handle like Workspace.Use and persists the new session
// in the config (Use with Persist).
func (s *Sessions) Use(ctx context.Context, opts ...UseOption) error {
	all := make([]UseOption, 0, len(opts)+1)
	return s.w.Use(ctx, append(append(all, opts...), Persist())...)
}
