package app

import (
	"github.com/mpdata/mp/domain"
)

// AccountSummary describes one account without its credentials
// (docs/reference/cli.md, `mp account list`).
type AccountSummary struct {
	// Name is the account name.
	Name string `json:"name"`
	// Type is service_account, oauth_browser or oauth_token.
	Type string `json:"type"`
	// Region is us, eu or in.
	Region string `json:"region"`
	// DefaultProject is the account's default project; nil when unset.
	DefaultProject *string `json:"default_project"`
	// IsActive reports whether this is the persisted active account.
	IsActive bool `json:"is_active"`
	// ReferencedByTargets lists the targets that point at the account,
	// sorted; empty (never nil) when there are none.
	ReferencedByTargets []string `json:"referenced_by_targets"`
	// SecretStore says where the account's secret, token or OAuth tokens
	// live: "config" (inline in config.toml), "env" (token_env, or an
	// account built from the environment), "keychain" (the OS keychain),
	// "exec" (a command of [settings.secret_commands]), "file"
	// (accounts/<name>/tokens.json) or "bridge" (the account of the bridge
	// file in effect, docs/reference/bridge.md).
	SecretStore string `json:"secret_store"`
	// ShadowedByBridge is set by Accounts.Use when the bridge in effect takes
	// precedence over what was just saved in a run without --account or
	// --target (its account ranks above [active]); it is the bridge's
	// path, and Note says so with the fix. Empty otherwise.
	ShadowedByBridge string `json:"shadowed_by_bridge,omitempty"`
	// Note is the note to show about ShadowedByBridge; empty otherwise.
	Note string `json:"note,omitempty"`
}

// AddAccountResult is the outcome of Accounts.Add.
type AddAccountResult struct {
	// Account is the added account.
	Account AccountSummary `json:"account"`
	// Promoted reports whether the account became the active one (it was
	// the first account of a config with no active account).
	Promoted bool `json:"promoted"`
}

// RemoveAccountResult is the outcome of Accounts.Remove.
type RemoveAccountResult struct {
	// Name is the removed account.
	Name string `json:"name"`
	// Orphaned lists the targets left pointing at the removed account (only
	// with force); empty, never nil, otherwise.
	Orphaned []string `json:"orphaned_targets"`
	// WasActive reports whether the account was active ([active] is cleared).
	WasActive bool `json:"was_active"`
}

// TargetView describes one saved target.
type TargetView struct {
	// Name is the target name.
	Name string `json:"name"`
	// Account is the target's account.
	Account string `json:"account"`
	// Project is the target's project id.
	Project string `json:"project"`
	// Workspace is the target's workspace id; nil when unset.
	Workspace *int64 `json:"workspace"`
	// ShadowedByBridge is set by Targets.Use when the bridge in effect takes
	// precedence over what was just saved in a run without --account or
	// --target (its account ranks above [active]); it is the bridge's
	// path, and Note says so with the fix. Empty otherwise.
	ShadowedByBridge string `json:"shadowed_by_bridge,omitempty"`
	// Note is the note to show about ShadowedByBridge; empty otherwise.
	Note string `json:"note,omitempty"`
}

// ProjectView describes the project of the resolved account.
type ProjectView struct {
	// ID is the project id.
	ID string `json:"id"`
	// Account is the account the project belongs to.
	Account string `json:"account"`
	// Source is where the project came from (domain.Source.String()).
	Source string `json:"source"`
	// ShadowedBy is set by Projects.Use when, in this run, a higher-priority
	// source (for example MP_PROJECT_ID or --project) overrides the default
	// project just written; it names that source. Empty otherwise.
	ShadowedBy string `json:"shadowed_by,omitempty"`
	// Name is the project's name from /me, set by Projects.Use when /me
	// lists the project.
	Name string `json:"name,omitempty"`
	// ShadowedByBridge is set by Projects.Use when the bridge in effect takes
	// precedence over what was just saved in a run without --account or
	// --target (its account ranks above [active]); it is the bridge's
	// path, and Note says so with the fix. Empty otherwise.
	ShadowedByBridge string `json:"shadowed_by_bridge,omitempty"`
	// Note is the note to show about ShadowedByBridge; empty otherwise.
	Note string `json:"note,omitempty"`
	// Warning is set by Projects.Use when the project is not among the
	// account's /me projects, or when /me could not be reached to check.
	Warning string `json:"warning,omitempty"`
}

// TestUser is the user behind a tested credential.
type TestUser struct {
	// ID is the Mixpanel user id.
	ID int64 `json:"id"`
	// Email is the user's email.
	Email string `json:"email"`
}

// AccountTestResult is the outcome of Accounts.Test (`mp account test`).
type AccountTestResult struct {
	// AccountName is the tested account (the name asked for when it could
	// not be resolved).
	AccountName string `json:"account_name"`
	// OK reports whether /me accepted the credentials.
	OK bool `json:"ok"`
	// User is who the credentials belong to; nil when not OK.
	User *TestUser `json:"user"`
	// AccessibleProjectCount is how many projects /me lists; 0 when not OK.
	AccessibleProjectCount int `json:"accessible_project_count"`
	// Error is the error message; nil when OK.
	Error *string `json:"error"`
	// ErrorCode is the error's stable code; nil when OK.
	ErrorCode *string `json:"error_code"`
}

// ProjectSummary is one project the account can see (`mp project list`).
type ProjectSummary struct {
	// ID is the project id.
	ID string `json:"id"`
	// Name is the project name.
	Name string `json:"name"`
	// OrganizationID is the organisation the project belongs to.
	OrganizationID int64 `json:"organization_id"`
	// OrganizationName is the organisation's name from /me ("" when /me
	// does not name it). Tables show it; the JSON contract keeps only the id.
	OrganizationName string `json:"-"`
	// Timezone is the project's timezone.
	Timezone string `json:"timezone"`
	// Domain is the API domain of the project's data region.
	Domain string `json:"domain"`
	// IsActive reports whether this is the session's project.
	IsActive bool `json:"is_active"`
}

// WorkspaceSummary is one workspace of the session's project
// (`mp workspace list`).
type WorkspaceSummary struct {
	// ID is the workspace id.
	ID int64 `json:"id"`
	// Name is the workspace name.
	Name string `json:"name"`
	// IsDefault reports whether Mixpanel marks it as the project's default.
	IsDefault bool `json:"is_default"`
	// IsActive reports whether it is the session's workspace or, when none
	// is set, the one a workspace-scoped call would pick.
	IsActive bool `json:"is_active"`
}

// WorkspaceView describes the workspace of the resolved session.
type WorkspaceView struct {
	// ID is the workspace id; nil when unset (resolved lazily on first use).
	ID *int64 `json:"id"`
	// Source is where the workspace came from; "none" when unset.
	Source string `json:"source"`
	// Account is the account the workspace belongs to.
	Account string `json:"account"`
	// Project is the project the workspace belongs to, when known.
	Project string `json:"project,omitempty"`
	// ShadowedBy is set by Workspaces.Use when, in this run, a
	// higher-priority source (MP_WORKSPACE_ID, --workspace, a target)
	// overrides the active workspace just written; it names that source.
	ShadowedBy string `json:"shadowed_by,omitempty"`
}

// SourceView is one candidate of an axis in `mp session --explain`.
type SourceView struct {
	// Kind is the domain.SourceKind: env, flag, target, bridge, active,
	// account_default or none.
	Kind string `json:"kind"`
	// Name names the source: the variable, flag, target, bridge path,
	// "[active]" or the account.
	Name string `json:"name,omitempty"`
	// Value is the value offered (an account name, project id or workspace
	// id; never a secret).
	Value string `json:"value"`
}

// AxisExplain is the provenance of one axis.
type AxisExplain struct {
	// Winner is the candidate that won.
	Winner SourceView `json:"winner"`
	// Shadowed lists the lower-priority candidates, highest first; empty,
	// never nil, when there were none.
	Shadowed []SourceView `json:"shadowed"`
	// Ignored lists saved workspaces that did not take part because they
	// belong to another account or project than the session's; empty, never
	// nil, when there were none.
	Ignored []IgnoredView `json:"ignored"`
}

// IgnoredView is a candidate left out of an axis, and why.
type IgnoredView struct {
	SourceView
	// Reason says why the candidate does not apply.
	Reason string `json:"reason"`
}

// SessionAccount is the account part of a SessionView.
type SessionAccount struct {
	// Name is the account name.
	Name string `json:"name"`
	// Type is the account type.
	Type string `json:"type"`
	// Region is the account region.
	Region string `json:"region"`
	// Source is where the account came from.
	Source string `json:"source"`
}

// SessionProject is the project part of a SessionView.
type SessionProject struct {
	// ID is the project id.
	ID string `json:"id"`
	// Name is the project name from the /me cache; nil when no cached /me
	// answer lists the project.
	Name *string `json:"name"`
	// Source is where the project came from.
	Source string `json:"source"`
}

// SessionWorkspace is the workspace part of a SessionView.
type SessionWorkspace struct {
	// ID is the workspace id.
	ID int64 `json:"id"`
	// Name is the workspace name from the /me cache; nil when no cached
	// /me answer lists the workspace.
	Name *string `json:"name"`
	// Source is where the workspace came from.
	Source string `json:"source"`
}

// SessionUser is the user part of a SessionView.
type SessionUser struct {
	// Email is the user's email from the /me cache.
	Email string `json:"email"`
}

// SessionBridge is the bridge part of a SessionView. Only Path is set by
// Sessions.Show; Sessions.ShowBridge (`mp session --bridge`) fills the rest.
// It never holds a secret.
type SessionBridge struct {
	// Path is the bridge file in use.
	Path string `json:"path"`
	// Account is the bridge's account (name, type, region).
	Account *BridgeAccountView `json:"account,omitempty"`
	// Project is the project the bridge pins, if any.
	Project *string `json:"project,omitempty"`
	// Workspace is the workspace the bridge pins, if any.
	Workspace *int64 `json:"workspace,omitempty"`
	// Headers are the bridge's extra headers, name → value.
	Headers map[string]string `json:"headers,omitempty"`
}

// BridgeAccountView is the account of a bridge, without its secrets.
type BridgeAccountView struct {
	// Name is the account name.
	Name string `json:"name"`
	// Type is the account type.
	Type string `json:"type"`
	// Region is the account's region.
	Region string `json:"region"`
	// DefaultProject is the account's default project, if any.
	DefaultProject *string `json:"default_project"`
}

// SessionExplain is the per-axis provenance of a SessionView.
type SessionExplain struct {
	// Account explains the account axis.
	Account AxisExplain `json:"account"`
	// Project explains the project axis.
	Project AxisExplain `json:"project"`
	// Workspace explains the workspace axis.
	Workspace AxisExplain `json:"workspace"`
	// Failed is set (by Sessions.Show, together with its error) when an
	// axis failed to resolve: that axis and the ones after it (account,
	// project, workspace) are then zero. Nil when every axis resolved.
	Failed *AxisFailure `json:"failed,omitempty"`
}

// AxisFailure is the axis of a session that failed to resolve, and why.
type AxisFailure struct {
	// Axis is account, project or workspace.
	Axis string `json:"axis"`
	// Code is the error's code (domain.Code).
	Code string `json:"code"`
	// Message is the error's message.
	Message string `json:"message"`
}

// SessionView is the resolved state shown by `mp session` (docs/reference/cli.md).
type SessionView struct {
	// Account is the resolved account.
	Account SessionAccount `json:"account"`
	// Project is the resolved project.
	Project SessionProject `json:"project"`
	// Workspace is the resolved workspace; nil when it is resolved lazily.
	Workspace *SessionWorkspace `json:"workspace"`
	// User is the signed-in user from the /me cache; nil when there is no
	// cached /me answer.
	User *SessionUser `json:"user"`
	// Bridge is the bridge file in effect; nil when there is none.
	Bridge *SessionBridge `json:"bridge"`
	// Explain is the per-axis provenance; only set when asked for.
	Explain *SessionExplain `json:"explain,omitempty"`
}

// summarize builds the AccountSummary of a, as stored in cfg.
func summarize(cfg domain.Config, a domain.Account) AccountSummary {
	s := summaryOf(a, cfg.Active().Account, stringsOf(cfg.TargetsReferencing(a.Name)))
	s.SecretStore = secretStoreOf(cfg, a)
	if a.DefaultProject.IsSet() {
		p := string(a.DefaultProject)
		s.DefaultProject = &p
	}
	return s
}

// summaryOf builds the AccountSummary of a but for its DefaultProject and
// SecretStore: active is the config's active account and referencedBy the
// names of the targets that point at a, sorted (never nil).
func summaryOf(a domain.Account, active domain.AccountName, referencedBy []string) AccountSummary {
	return AccountSummary{
		Name:                string(a.Name),
		Type:                string(a.Type),
		Region:              string(a.Region),
		IsActive:            a.Name == active,
		ReferencedByTargets: referencedBy,
	}
}

// summarizeEnvBuilt builds the AccountSummary of an account that exists
// only in the environment: never active, never referenced.
func summarizeEnvBuilt(a domain.Account) AccountSummary {
	s := summarize(domain.Config{}, a)
	s.SecretStore = storeEnv
	return s
}

// summarizeBridge builds the AccountSummary of a bridge's account: never
// active, never referenced, its secrets held in the bridge file.
func summarizeBridge(a domain.Account) AccountSummary {
	s := summarize(domain.Config{}, a)
	s.SecretStore = storeBridge
	return s
}

// targetView builds the TargetView of t.
func targetView(t domain.Target) TargetView {
	v := TargetView{Name: string(t.Name), Account: string(t.Account), Project: string(t.Project)}
	if t.Workspace.IsSet() {
		w := int64(t.Workspace)
		v.Workspace = &w
	}
	return v
}

// sourceView builds the SourceView of one candidate.
func sourceView(c domain.Candidate) SourceView {
	return SourceView{Kind: string(c.Source.Kind), Name: c.Source.Name, Value: c.Value}
}

// ExplainAxis describes the provenance of one axis as `mp session
// --explain` shows it.
func ExplainAxis(p domain.AxisProvenance) AxisExplain {
	out := AxisExplain{Winner: sourceView(p.Winner), Shadowed: make([]SourceView, 0, len(p.Shadowed))}
	for _, c := range p.Shadowed {
		out.Shadowed = append(out.Shadowed, sourceView(c))
	}
	out.Ignored = make([]IgnoredView, 0, len(p.Ignored))
	for _, c := range p.Ignored {
		out.Ignored = append(out.Ignored, IgnoredView{SourceView: sourceView(c.Candidate), Reason: c.Reason})
	}
	return out
}

// stringsOf converts names to plain strings; the result is never nil.
func stringsOf[T ~string](in []T) []string {
	out := make([]string, len(in))
	for i, v := range in {
		out[i] = string(v)
	}
	return out
}
