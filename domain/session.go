package domain

// Environment variable names the resolver reads (docs/reference/resolution.md).
const (
	EnvAccount     = "MP_ACCOUNT"
	EnvTarget      = "MP_TARGET"
	EnvProjectID   = "MP_PROJECT_ID"
	EnvWorkspaceID = "MP_WORKSPACE_ID"
	EnvUsername    = "MP_USERNAME"
	EnvSecret      = "MP_SECRET"
	EnvRegion      = "MP_REGION"
	EnvOAuthToken  = "MP_OAUTH_TOKEN"
)

// ResolverEnvVars lists every variable the resolver reads, so callers can
// snapshot exactly these from the process environment.
func ResolverEnvVars() []string {
	return []string{
		EnvAccount, EnvTarget, EnvProjectID, EnvWorkspaceID,
		EnvUsername, EnvSecret, EnvRegion, EnvOAuthToken,
	}
}

// Names of the in-memory accounts built from the environment.
const (
	EnvServiceAccountName AccountName = "env-service-account"
	EnvOAuthTokenName     AccountName = "env-oauth-token"
)

// Selection is what the caller asked for explicitly: command-line flags or
// library options. Zero fields were not given. Values that only come from
// the environment (MP_ACCOUNT, MP_TARGET …) are not part of a Selection.
type Selection struct {
	Account   AccountName
	Project   ProjectID
	Workspace WorkspaceID
	Target    TargetName
}

// IsZero reports whether nothing was selected.
func (s Selection) IsZero() bool { return s == Selection{} }

// Session is the resolved triple for one run.
type Session struct {
	Account   Account
	Project   ProjectID
	Workspace WorkspaceID // zero: resolved lazily on first workspace-scoped call
	Headers   []Header
}

// SourceKind says where a value came from.
type SourceKind string

// The kinds of source, from highest to lowest priority.
const (
	SourceEnv            SourceKind = "env"             // Name: the variable
	SourceFlag           SourceKind = "flag"            // Name: the flag or option
	SourceTarget         SourceKind = "target"          // Name: the target
	SourceBridge         SourceKind = "bridge"          // Name: the bridge file path
	SourceActive         SourceKind = "active"          // Name: "[active]"
	SourceAccountDefault SourceKind = "account_default" // Name: the account
	SourceNone           SourceKind = "none"            // nothing set (lazy workspace)
)

// Source is one place a value can come from.
type Source struct {
	Kind SourceKind
	Name string
}

// String renders the source for humans, e.g. "env MP_PROJECT_ID",
// "flag --project", "target ecom", "config [active]".
func (s Source) String() string {
	switch s.Kind {
	case SourceEnv:
		return "env " + s.Name
	case SourceFlag:
		return "flag " + s.Name
	case SourceTarget:
		return "target " + s.Name
	case SourceBridge:
		return "bridge " + s.Name
	case SourceActive:
		return "config " + s.Name
	case SourceAccountDefault:
		return "default_project of account " + s.Name
	}
	return string(s.Kind)
}

// Candidate is a value a source offered. Value never holds a secret: for the
// account axis it is the account name.
type Candidate struct {
	Source Source
	Value  string
}

// AxisProvenance records, for one axis, the candidate that won and the
// lower-priority candidates it shadowed.
type AxisProvenance struct {
	Winner   Candidate
	Shadowed []Candidate
	// Ignored lists candidates that did not take part because they belong to
	// another account or project than the session's (no silent cross-axis
	// fallback, docs/reference/model.md).
	Ignored []IgnoredCandidate
}

// IgnoredCandidate is a candidate left out of an axis, and why.
type IgnoredCandidate struct {
	Candidate
	Reason string
}

// Provenance is the per-axis explanation of a resolution.
type Provenance struct {
	Account   AxisProvenance
	Project   AxisProvenance
	Workspace AxisProvenance
}

// Resolution is the resolver's result: the session and why.
type Resolution struct {
	Session    Session
	Provenance Provenance
}
