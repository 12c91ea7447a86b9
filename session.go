package mp

import (
	"fmt"

	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/domain"
)

// Session is an immutable snapshot of a handle's session, taken with
// Workspace.Session: the account, project and workspace its calls use.
// It is a plain value, safe to copy and share between goroutines. Pass it
// with WithSession to Workspace.Use to switch back to it, or to
// Workspace.Fork for another handle over the same engine that starts in
// it.
type Session struct {
	eng  *engine
	st   state
	zero bool // no session was resolved (no account configured at Open)
}

// state is a handle's session: the selection its calls pass to the use
// cases, the bridge its account comes from (if any), and what it resolved
// to.
type state struct {
	sel         domain.Selection
	bridge      app.BridgePin // zero unless the account comes from a bridge
	account     string
	accountType string
	region      string
	project     string
	workspace   int64
	// prov is where each axis came from when the session was chosen (at
	// Open, or for the axes a Use named); the selection above is pinned,
	// so resolving it again would say every axis was given explicitly.
	// The pointers point into provenances shared with remembered checks,
	// so that switching allocates nothing for them.
	prov axisProvs
}

// axisProvs are the provenances of the account, project and workspace
// axes of a session; nil when unknown.
type axisProvs struct{ account, project, workspace *domain.AxisProvenance }

// Account returns the account name ("" when no account was configured
// when the handle was opened).
func (s Session) Account() string { return s.st.account }

// AccountType returns the account's type: service_account, oauth_browser
// or oauth_token.
func (s Session) AccountType() AccountType { return AccountType(s.st.accountType) }

// Region returns the account's region: us, eu or in.
func (s Session) Region() Region { return Region(s.st.region) }

// Project returns the project id.
func (s Session) Project() ProjectID { return ProjectID(s.st.project) }

// WorkspaceID returns the workspace id, or 0 when none is set (a
// workspace-scoped call then picks the project's default workspace, once
// per account and project for the engine's life).
func (s Session) WorkspaceID() WorkspaceID { return WorkspaceID(s.st.workspace) }

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

// newState pins the checked session c, resolved from sel: later calls
// run in that very session, or fail, but never silently in another one.
//
//   - A config account: the calls pass the account, project and workspace
//     explicitly, so the handle keeps its session when the config's active
//     account changes underneath.
//   - The account of a bridge: it cannot be named safely (a config account
//     of the same name would win), so the handle keeps the bridge's path
//     and account (c.Bridge) and passes them with every call
//     (app.WithBridgePin): when the bridge in effect is no longer that one
//     — removed, replaced, shadowed — calls fail with CONFIG_ERROR instead
//     of running as whatever is in effect now. The project and workspace
//     are passed explicitly.
//   - An account built from the environment (the MP_USERNAME/MP_SECRET
//     quad or the MP_OAUTH_TOKEN triple): it cannot be named in a
//     selection; the handle keeps sel as given. Its environment is the
//     snapshot taken at Open (or WithEnv's map), so it cannot change.
func newState(sel domain.Selection, c app.CheckedSession) state {
	sess := c.Session
	st := state{
		account:     string(sess.Account.Name),
		accountType: string(sess.Account.Type),
		region:      string(sess.Account.Region),
		project:     string(sess.Project),
		workspace:   int64(sess.Workspace),
	}
	p := c.Explained
	if p == nil {
		cp := c.Provenance
		p = &cp
	}
	st.prov = axisProvs{&p.Account, &p.Project, &p.Workspace}
	w := c.Provenance.Account.Winner.Source
	switch {
	case w.Kind == domain.SourceEnv && w.Name != domain.EnvAccount:
		st.sel = sel
	case !c.Bridge.IsZero():
		st.bridge = c.Bridge
		st.sel = domain.Selection{Project: sess.Project, Workspace: sess.Workspace}
		if sel.Account != "" || sel.Target != "" {
			st.sel.Account = sess.Account.Name
		}
	default:
		st.sel = domain.Selection{Account: sess.Account.Name, Project: sess.Project, Workspace: sess.Workspace}
	}
	return st
}
