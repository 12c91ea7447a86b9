package app

import (
	"context"
	"fmt"

	"go.uber.org/zap"

	"github.com/mpdata/mp/domain"
)

// IDCheck says which ids of a selection a switch checks against what the
// account can see.
type IDCheck struct {
	// Project checks that the account's /me answer lists the session's
	// project (PROJECT_NOT_FOUND otherwise).
	Project bool
	// Workspace checks that the session's workspace, when set, is one of
	// its project's workspaces (INVALID_ARGUMENT otherwise).
	Workspace bool
}

// CheckIDs is CheckSession that also checks the ids ids names: against the
// account's /me answer (from memory or the disk cache, else fetched once
// with ctx) and the project's workspace list (from /me, else fetched once
// per account and project). Switching among pairs already checked costs no
// network call. A failed check leaves nothing changed; a /me that cannot be
// reached is its error.
//
// An answer is remembered and given again without any of that while the
// config and the bridge locations are unchanged (ports.Versioned: one
// lstat each), the /me answer it used is still fresh and the App's /me
// memory has not changed — so switching among seen sessions reads no
// file. Sessions of oauth_browser accounts are checked every time (their
// tokens may be removed by another process).
func (s *Sessions) CheckIDs(ctx context.Context, sel domain.Selection, ids IDCheck) (CheckedSession, error) {
	key := checkKey{sel: sel, ids: ids, pin: pinKey(ctx)}
	cfgVer, bridgeVer, versioned := s.c.versions()
	if versioned {
		if checked, ok := s.c.rememberedCheck(key, cfgVer, bridgeVer); ok {
			return checked, nil
		}
	}
	gen := s.c.memoryGen()
	checked, err := s.checkIDs(ctx, sel, ids)
	if err == nil {
		p := checked.Provenance
		checked.Explained = &p
	}
	if err != nil || !versioned || checked.Session.Account.Type == domain.TypeOAuthBrowser {
		return checked, err
	}
	e := checkEntry{cfgVer: cfgVer, bridgeVer: bridgeVer, gen: gen, checked: checked}
	if ids.Project || ids.Workspace {
		from, until, ok := s.c.meFreshness(checked.Session.Account.Name)
		if !ok {
			return checked, nil
		}
		e.from, e.until = from, until
	}
	// Remembered only when nothing changed while it was checked.
	if c2, b2, ok := s.c.versions(); ok && c2 == cfgVer && b2 == bridgeVer && s.c.memoryGen() == gen {
		s.c.rememberCheck(key, e)
	}
	return checked, nil
}

// checkIDs is CheckIDs without the remembered answers.
func (s *Sessions) checkIDs(ctx context.Context, sel domain.Selection, ids IDCheck) (CheckedSession, error) {
	ses, checked, err := s.checkSession(ctx, sel)
	if err != nil {
		return CheckedSession{}, err
	}
	if ids.Project {
		if err := s.c.verifyProject(ctx, ses.Session.Account, ses.origin, ses.Session.Headers, ses.Session.Project, sel.Account); err != nil {
			return CheckedSession{}, err
		}
	}
	if ids.Workspace && ses.Session.Workspace.IsSet() {
		if err := s.c.verifyWorkspace(ctx, ses, sel.Account); err != nil {
			return CheckedSession{}, err
		}
	}
	return checked, nil
}

// verifyProject returns PROJECT_NOT_FOUND when the /me answer of acct does
// not list id. asked is the account the caller named, kept in the hint.
func (c *core) verifyProject(ctx context.Context, acct domain.Account, o origin, headers []domain.Header, id domain.ProjectID, asked domain.AccountName) error {
	me, err := c.me(ctx, acct, o, headers, false)
	if err != nil {
		return err
	}
	if _, ok := me.Project(id); ok {
		return nil
	}
	c.deps.Log.Debug("project not in /me", zap.String("account", string(acct.Name)), zap.String("project", string(id)), zap.Int("projects", len(me.Projects)))
	return domain.NewError(domain.CodeProjectNotFound,
		"project %s is not among the %d projects account '%s' can see", id, len(me.Projects), acct.Name).
		WithDetail("account", string(acct.Name)).
		WithDetail("project", string(id)).
		WithHint("run `mp %sproject list --refresh` to see them, then use one of those ids", accountFlag(asked))
}

// verifyWorkspace returns INVALID_ARGUMENT when the session's workspace is
// not one of its project's workspaces.
func (c *core) verifyWorkspace(ctx context.Context, ses session, asked domain.AccountName) error {
	sess := ses.Session
	ws, err := c.projectWorkspaces(ctx, ses, false)
	if err != nil {
		return err
	}
	for _, w := range ws {
		if w.ID == sess.Workspace {
			return nil
		}
	}
	c.deps.Log.Debug("workspace not in the project", zap.String("project", string(sess.Project)), zap.Int64("workspace", int64(sess.Workspace)))
	return domain.NewError(domain.CodeInvalidArgument,
		"workspace %d is not one of the %d workspaces of project %s (account '%s')", sess.Workspace, len(ws), sess.Project, sess.Account.Name).
		WithDetail("account", string(sess.Account.Name)).
		WithDetail("project", string(sess.Project)).
		WithDetail("workspace", int64(sess.Workspace)).
		WithHint("run `mp %sworkspace list` to see the workspaces of project %s", accountFlag(asked), sess.Project)
}

// accountFlag is "-a NAME " when the caller named an account, so that a
// hint's command runs against the same account; "" otherwise.
func accountFlag(asked domain.AccountName) string {
	if asked == "" {
		return ""
	}
	return fmt.Sprintf("-a %s ", asked)
}
