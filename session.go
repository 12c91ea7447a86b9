package mp

import (
	"fmt"

	"github.com/mpdata/mp/domain"
)

// Session is an immutable snapshot of a handle's session, taken with
// Workspace.Session: the account, project and workspace its calls use.
// It is a plain value, safe to copy and share between goroutines. Pass it
// to Open with WithSession to get another handle over the same engine
// (HTTP client, /me and workspace caches) that starts in this session —
// for parallel work where each goroutine switches on its own — or to
// Workspace.Use to switch back to it.
type Session struct {
	eng  *engine
	st   state
	zero bool // no session was resolved (no account configured at Open)
}

// state is a handle's session: the selection its calls pass to the use
// cases, and what it resolved to.
type state struct {
	sel         domain.Selection
	account     string
	accountType string
	region      string
	project     string
	workspace   int64
}

// Account returns the account name ("" when no account was configured
// when the handle was opened).
func (s Session) Account() string { return s.st.account }

// AccountType returns the account's type: service_account, oauth_browser
// or oauth_token.
func (s Session) AccountType() string { return s.st.accountType }

// Region returns the account's region: us, eu or in.
func (s Session) Region() string { return s.st.region }

// Project returns the project id.
func (s Session) Project() string { return s.st.project }

// WorkspaceID returns the workspace id, or 0 when none is set (a
// workspace-scoped call then picks the project's default workspace, once
// per account and project for the engine's life).
func (s Session) WorkspaceID() int64 { return s.st.workspace }

// String describes the session as account/project[/workspace].
func (s Session) String() string {
	if s.zero {
		return "(no session)"
	}
	if s.st.workspace != 0 {
		return fmt.Sprintf("%s/%s/%d", s.st.account, s.st.project, s.st.workspace)
	}
	return s.st.account + "/" + s.st.project
}

// newState pins the resolved session r: later calls pass the account,
// project and workspace explicitly, so the handle keeps its session when
// the config's active account changes underneath. An account built from
// the environment (the MP_USERNAME/MP_SECRET quad or the MP_OAUTH_TOKEN
// triple) cannot be named in a selection, and one picked from the bridge
// file is the bridge's to decide; the handle then keeps sel as given.
func newState(sel domain.Selection, r domain.Resolution) state {
	sess := r.Session
	st := state{
		account:     string(sess.Account.Name),
		accountType: string(sess.Account.Type),
		region:      string(sess.Account.Region),
		project:     string(sess.Project),
		workspace:   int64(sess.Workspace),
	}
	w := r.Provenance.Account.Winner.Source
	if (w.Kind == domain.SourceEnv && w.Name != domain.EnvAccount) || w.Kind == domain.SourceBridge {
		st.sel = sel
		return st
	}
	st.sel = domain.Selection{Account: sess.Account.Name, Project: sess.Project, Workspace: sess.Workspace}
	return st
}
