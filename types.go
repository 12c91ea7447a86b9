package mp

import (
	"encoding/json"
	"fmt"
	"io"
	"time"
	"unique"

	"github.com/mpdata/mp/domain"
)

// AccountType is the kind of an account: how it authenticates.
type AccountType string

// The account types.
const (
	// TypeServiceAccount authenticates with a service account's username
	// and secret (HTTP Basic).
	TypeServiceAccount AccountType = "service_account"
	// TypeOAuthBrowser authenticates with OAuth tokens obtained by a
	// browser login (Accounts.Login) and refreshed by mp.
	TypeOAuthBrowser AccountType = "oauth_browser"
	// TypeOAuthToken authenticates with a static bearer token (CI), given
	// inline or read from an environment variable (Account.TokenEnv).
	TypeOAuthToken AccountType = "oauth_token"
)

// Region is a Mixpanel data region.
type Region string

// The data regions.
const (
	RegionUS Region = "us"
	RegionEU Region = "eu"
	RegionIN Region = "in"
)

// ProjectID is a Mixpanel project id: decimal digits, kept as a string as
// Mixpanel's /me answer does. The zero value means no project.
type ProjectID string

// WorkspaceID is a Mixpanel workspace id. The zero value means no
// workspace (workspace-scoped calls then use the project's default one).
type WorkspaceID int64

// Secret holds a credential — a service account's secret, a static token.
// Every printable form (String, GoString, every fmt verb, JSON and text
// marshalling) is a redaction; Reveal is the only way to the value. The
// zero value is the empty secret. Secrets are comparable with ==.
type Secret struct {
	// h interns the value: Secrets compare by value with ==, and fmt or
	// reflection going around the methods finds a handle, not the bytes.
	h unique.Handle[string] // zero handle: the empty secret
}

// NewSecret wraps a credential so that it never prints.
func NewSecret(s string) Secret {
	if s == "" {
		return Secret{}
	}
	return Secret{unique.Make(s)}
}

// Reveal returns the credential. Call it only where it is sent or stored.
func (s Secret) Reveal() string {
	if s.IsZero() {
		return ""
	}
	return s.h.Value()
}

// IsZero reports whether the secret is empty.
func (s Secret) IsZero() bool { return s.h == unique.Handle[string]{} }

// domain returns the secret as the domain holds it.
func (s Secret) domain() domain.Secret { return domain.NewSecret(s.Reveal()) }

// String returns a redaction.
func (s Secret) String() string { return s.domain().String() }

// GoString returns a redaction, for %#v.
func (s Secret) GoString() string { return s.domain().GoString() }

// Format prints a redaction for every verb.
func (s Secret) Format(f fmt.State, verb rune) { s.domain().Format(f, verb) }

// MarshalJSON returns a redaction as a JSON string.
func (s Secret) MarshalJSON() ([]byte, error) { return s.domain().MarshalJSON() }

// MarshalText returns a redaction.
func (s Secret) MarshalText() ([]byte, error) { return s.domain().MarshalText() }

// Account is an account to add with Accounts.Add. Which credential fields
// apply depends on Type:
//
//   - TypeServiceAccount: Username and Secret.
//   - TypeOAuthToken: Token (stored like a secret) or TokenEnv (the name of
//     the environment variable that holds the token when a call is made;
//     the value is never stored).
//   - TypeOAuthBrowser: none; log in with Accounts.Login afterwards.
//
// Secrets go to the handle's secret backend (the config file, or the OS
// keychain with WithKeychain and secret_backend = "keychain").
type Account struct {
	// Name is the account's name: letters, digits, '-', '_' and '.'.
	Name string
	// Type is how the account authenticates.
	Type AccountType
	// Region is the account's data region.
	Region Region
	// DefaultProject is the project calls use when no other is selected;
	// zero for none.
	DefaultProject ProjectID
	// Username is a service account's username.
	Username string
	// Secret is a service account's secret.
	Secret Secret
	// Token is an oauth_token account's static bearer token.
	Token Secret
	// TokenEnv names the variable holding an oauth_token account's token.
	TokenEnv string
}

// AccountPatch lists the fields Accounts.Update changes; a nil field is
// kept. An account's name and type never change.
type AccountPatch struct {
	// Region sets the region.
	Region *Region
	// DefaultProject sets the default project.
	DefaultProject *ProjectID
	// ClearProject removes the default project.
	ClearProject bool
	// Username sets a service account's username.
	Username *string
	// Secret sets a service account's secret.
	Secret *Secret
	// Token sets an oauth_token account's inline token and clears TokenEnv.
	Token *Secret
	// TokenEnv sets an oauth_token account's variable and clears the
	// inline token.
	TokenEnv *string
}

// AccountSummary describes one account without its credentials.
type AccountSummary struct {
	// Name is the account's name.
	Name string `json:"name"`
	// Type is the account's type.
	Type AccountType `json:"type"`
	// Region is the account's region.
	Region Region `json:"region"`
	// DefaultProject is the account's default project; zero when unset.
	DefaultProject ProjectID `json:"default_project,omitempty"`
	// IsActive reports whether this is the config's active account.
	IsActive bool `json:"is_active"`
	// ReferencedByTargets lists the saved targets that use the account,
	// sorted; empty when there are none.
	ReferencedByTargets []string `json:"referenced_by_targets"`
	// SecretStore says where the account's credential lives: "config"
	// (inline in config.toml), "env" (TokenEnv, or an account built from
	// the environment), "keychain", "exec" (a secret command of the
	// config), "file" (an oauth_browser account's token file) or "bridge"
	// (the account of the bridge file in effect).
	SecretStore string `json:"secret_store"`
}

// AddAccountResult is the outcome of Accounts.Add.
type AddAccountResult struct {
	// Account is the added account.
	Account AccountSummary `json:"account"`
	// Promoted reports whether it became the active account (the first
	// account of a config without one).
	Promoted bool `json:"promoted"`
}

// RemoveOptions tune Accounts.Remove.
type RemoveOptions struct {
	// Force removes the account even while saved targets use it; they are
	// kept, orphaned, and listed in the result.
	Force bool
}

// RemoveAccountResult is the outcome of Accounts.Remove.
type RemoveAccountResult struct {
	// Name is the removed account.
	Name string `json:"name"`
	// OrphanedTargets lists the targets left pointing at the removed
	// account (only with RemoveOptions.Force).
	OrphanedTargets []string `json:"orphaned_targets"`
	// WasActive reports whether it was the active account (the config then
	// has none).
	WasActive bool `json:"was_active"`
}

// User is the Mixpanel user that credentials belong to.
type User struct {
	// ID is the Mixpanel user id.
	ID int64 `json:"id"`
	// Email is the user's email.
	Email string `json:"email"`
}

// AccountTestResult is the outcome of Accounts.Test.
type AccountTestResult struct {
	// Account is the tested account.
	Account string `json:"account"`
	// OK reports whether /me accepted the credentials. When it did not,
	// Accounts.Test also returns the error.
	OK bool `json:"ok"`
	// User is who the credentials belong to; zero when not OK.
	User User `json:"user"`
	// ProjectCount is how many projects the credentials can see.
	ProjectCount int `json:"project_count"`
}

// LoginEventKind says what a LoginEvent reports.
type LoginEventKind string

// The kinds of LoginEvent, in the order they happen.
const (
	// LoginURL: the authorize URL is known (LoginEvent.URL).
	LoginURL LoginEventKind = "url"
	// LoginWaiting: waiting for the browser to come back.
	LoginWaiting LoginEventKind = "waiting"
	// LoginCode: the authorization code arrived; tokens are being fetched.
	LoginCode LoginEventKind = "code"
)

// LoginEvent reports the progress of a browser login to
// LoginOptions.Notify.
type LoginEvent struct {
	// Kind says what happened.
	Kind LoginEventKind
	// URL is the authorize URL to show the user (LoginURL); it holds no
	// secret.
	URL string
	// BrowserOpened reports whether a browser was opened on URL (LoginURL).
	BrowserOpened bool
	// BrowserError says why no browser was opened, if one was tried
	// (LoginURL).
	BrowserError string
	// Headless reports that the session looks headless — no display, or
	// SSH (LoginURL).
	Headless bool
}

// LoginOptions are the interactive parts of Accounts.Login, supplied by
// the caller. The zero value opens a browser and waits for it.
type LoginOptions struct {
	// NoBrowser does not open a browser: the URL is reported through
	// Notify, and a pasted redirect URL is accepted from Paste.
	NoBrowser bool
	// Paste is read for a pasted redirect URL (with NoBrowser); nil means
	// no paste fallback.
	Paste io.Reader
	// Notify receives the progress of the login; nil is allowed.
	Notify func(LoginEvent)
	// PickProject chooses the default project when the account sees
	// several and has none (sorted by name, then id). Nil: no project is
	// chosen.
	PickProject func(projects []Project) (ProjectID, error)
}

// LoginResult is the outcome of Accounts.Login.
type LoginResult struct {
	// Account is the account logged in.
	Account string `json:"account"`
	// Type is its type.
	Type AccountType `json:"type"`
	// Region is its region.
	Region Region `json:"region"`
	// User is who the tokens belong to.
	User User `json:"user"`
	// Project is the account's default project after the login; zero when
	// it has none.
	Project ProjectID `json:"project,omitempty"`
	// ProjectName is that project's name ("" when /me does not list it).
	ProjectName string `json:"project_name,omitempty"`
	// ExpiresAt is when the new access token expires.
	ExpiresAt time.Time `json:"expires_at"`
	// Active reports whether the account is the active one afterwards.
	Active bool `json:"active"`
}

// LogoutResult is the outcome of Accounts.Logout.
type LogoutResult struct {
	// Account is the account logged out.
	Account string `json:"account"`
	// Removed reports whether there were tokens to delete.
	Removed bool `json:"removed"`
}

// BridgeExport asks Accounts.ExportBridge for a bridge file.
type BridgeExport struct {
	// To is the path to write (required).
	To string
	// Account is the account to export; empty: the handle's.
	Account string
	// Project pins a project in the bridge; zero pins none.
	Project ProjectID
	// Workspace pins a workspace in the bridge; zero pins none.
	Workspace WorkspaceID
}

// WarningCode is the stable code of a Warning.
type WarningCode string

// The warning codes.
const (
	// WarningSharedRefreshToken: the bridge carries the refresh token this
	// machine keeps using too. Refresh tokens rotate, so whichever side
	// refreshes second must log in again; export a separate account for
	// the bridge to avoid it.
	WarningSharedRefreshToken WarningCode = "SHARED_REFRESH_TOKEN"
	// WarningBridgeInEffect: the bridge was written where mp looks for one
	// on this machine, so its account now outranks the config's active
	// account in every call that selects none.
	WarningBridgeInEffect WarningCode = "BRIDGE_IN_EFFECT"
)

// Warning is something a call did that the caller should know about: it
// succeeded, but the outcome may not be what was meant.
type Warning struct {
	// Code says which condition it is; branch on it.
	Code WarningCode `json:"code"`
	// Message says what happened and how to avoid it, for people.
	Message string `json:"message"`
}

// BridgeExportResult is the outcome of Accounts.ExportBridge; it holds no
// secret.
type BridgeExportResult struct {
	// Path is the bridge file written.
	Path string `json:"path"`
	// Account is the exported account.
	Account string `json:"account"`
	// Type is its type.
	Type AccountType `json:"type"`
	// Region is its region.
	Region Region `json:"region"`
	// Project is the pinned project; zero for none.
	Project ProjectID `json:"project,omitempty"`
	// Workspace is the pinned workspace; zero for none.
	Workspace WorkspaceID `json:"workspace,omitempty"`
	// Headers are the names of the custom headers the bridge carries.
	Headers []string `json:"headers"`
	// TokensIncluded reports whether OAuth tokens went into the bridge.
	TokensIncluded bool `json:"tokens_included"`
	// RefreshCapable reports whether they include a refresh token.
	RefreshCapable bool `json:"refresh_capable"`
	// TokenEnv is the variable an oauth_token account reads on the machine
	// that uses the bridge (its value is never exported).
	TokenEnv string `json:"token_env,omitempty"`
	// Warnings lists what the caller should know (WarningSharedRefreshToken,
	// WarningBridgeInEffect); empty when there is nothing.
	Warnings []Warning `json:"warnings"`
}

// BridgeRemoveResult is the outcome of Accounts.RemoveBridge.
type BridgeRemoveResult struct {
	// Path is the bridge file removed, or looked for; empty when no
	// location held one.
	Path string `json:"path"`
	// Removed reports whether a file was removed.
	Removed bool `json:"removed"`
}

// MigrateOptions say where Accounts.MigrateSecrets moves secrets.
type MigrateOptions struct {
	// To is the backend to move to: "keychain" or "file" (required).
	To string
	// Account limits the move to one account; empty moves every account
	// and also sets the config's secret_backend.
	Account string
}

// MigratedAccount is what Accounts.MigrateSecrets did to one account.
type MigratedAccount struct {
	// Account is the account's name.
	Account string `json:"account"`
	// Type is its type.
	Type AccountType `json:"type"`
	// From is where its secrets were (see AccountSummary.SecretStore;
	// "none" for an oauth_browser account that is not logged in).
	From string `json:"from"`
	// Moved reports whether they moved.
	Moved bool `json:"moved"`
	// Reason says why they did not move: already there, a token variable,
	// a secret command, not logged in, too large for the backend.
	Reason string `json:"reason,omitempty"`
}

// MigrateResult is the outcome of Accounts.MigrateSecrets; it holds no
// secret.
type MigrateResult struct {
	// To is the backend the secrets moved to.
	To string `json:"to"`
	// Accounts lists what happened to each account, sorted by name.
	Accounts []MigratedAccount `json:"accounts"`
	// Refused lists the accounts whose secret the backend refused as too
	// large; they keep it where it was.
	Refused []string `json:"refused"`
	// BackendSet reports whether the config's secret_backend now names To.
	BackendSet bool `json:"backend_set"`
	// NewSecrets is the backend new secrets go to from now on.
	NewSecrets string `json:"new_secrets"`
	// Overridden reports whether NewSecrets comes from an explicit choice
	// (MP_SECRET_BACKEND, WithSecretBackend) that beats the config's.
	Overridden bool `json:"overridden"`
	// BridgePath is the bridge file in effect, whose account's secrets
	// stay in it (a migration never touches a bridge); "" without one.
	BridgePath string `json:"bridge_path,omitempty"`
}

// Target is a saved target: a named (account, project, workspace) triple,
// used with WithTarget.
type Target struct {
	// Name is the target's name.
	Name string `json:"name"`
	// Account is its account.
	Account string `json:"account"`
	// Project is its project.
	Project ProjectID `json:"project"`
	// Workspace is its workspace; zero for none.
	Workspace WorkspaceID `json:"workspace,omitempty"`
}

// Organization is an organisation of a /me answer.
type Organization struct {
	// ID is the organisation id.
	ID int64 `json:"id"`
	// Name is its name.
	Name string `json:"name"`
	// Role is the user's role in it.
	Role string `json:"role"`
}

// Project is a project of a /me answer.
type Project struct {
	// ID is the project id.
	ID ProjectID `json:"id"`
	// Name is the project's name.
	Name string `json:"name"`
	// OrganizationID is the organisation it belongs to.
	OrganizationID int64 `json:"organization_id"`
	// Timezone is the project's timezone.
	Timezone string `json:"timezone"`
	// Domain is the API host of the project's data region.
	Domain string `json:"domain"`
	// HasWorkspaces reports whether the project has workspaces.
	HasWorkspaces bool `json:"has_workspaces"`
}

// WorkspaceInfo is a workspace of a /me answer.
type WorkspaceInfo struct {
	// ID is the workspace id.
	ID WorkspaceID `json:"id"`
	// Name is its name.
	Name string `json:"name"`
	// Project is the project it belongs to.
	Project ProjectID `json:"project"`
	// IsDefault reports whether it is the project's default workspace.
	IsDefault bool `json:"is_default"`
	// IsGlobal reports whether it is the project's all-data workspace.
	IsGlobal bool `json:"is_global"`
	// IsRestricted reports whether access to it is restricted.
	IsRestricted bool `json:"is_restricted"`
	// IsVisible reports whether it is visible to the user.
	IsVisible bool `json:"is_visible"`
}

// Me is an account's /me answer: who the credentials belong to and what
// they can see.
type Me struct {
	// User is who the credentials belong to.
	User User `json:"user"`
	// Organizations are in the order Mixpanel sent them.
	Organizations []Organization `json:"organizations"`
	// Projects are sorted by name, then id.
	Projects []Project `json:"projects"`
	// Workspaces are sorted by project, then id.
	Workspaces []WorkspaceInfo `json:"workspaces"`
	// Raw is the answer as Mixpanel sent it (no credential is in it).
	Raw json.RawMessage `json:"-"`
}

// ProjectSummary is one project the session's account can see.
type ProjectSummary struct {
	// ID is the project id.
	ID ProjectID `json:"id"`
	// Name is the project's name.
	Name string `json:"name"`
	// OrganizationID is the organisation it belongs to.
	OrganizationID int64 `json:"organization_id"`
	// OrganizationName is that organisation's name ("" when /me does not
	// name it).
	OrganizationName string `json:"organization_name,omitempty"`
	// Timezone is the project's timezone.
	Timezone string `json:"timezone"`
	// Domain is the API host of its data region.
	Domain string `json:"domain"`
	// IsActive reports whether it is the session's project.
	IsActive bool `json:"is_active"`
}

// WorkspaceSummary is one workspace of the session's project.
type WorkspaceSummary struct {
	// ID is the workspace id.
	ID WorkspaceID `json:"id"`
	// Name is its name.
	Name string `json:"name"`
	// IsDefault reports whether Mixpanel marks it as the project's default.
	IsDefault bool `json:"is_default"`
	// IsActive reports whether it is the session's workspace or, when the
	// session has none, the one a workspace-scoped call would pick.
	IsActive bool `json:"is_active"`
}

// SegmentationQuery is a segmentation query (Workspace.Segmentation).
type SegmentationQuery struct {
	// Event is the event to count (required).
	Event string
	// From is the first day, YYYY-MM-DD (required).
	From string
	// To is the last day, YYYY-MM-DD (required).
	To string
	// Unit is day (the default), week or month.
	Unit string
	// On is the property to segment by; a bare name becomes
	// properties["NAME"].
	On string
	// Where is a filter expression, sent as it is.
	Where string
	// Type is general (the default), unique or average.
	Type string
}

// SegmentationResult is a segmentation answer.
type SegmentationResult struct {
	// Event is the event counted.
	Event string `json:"event"`
	// FromDate and ToDate are the days covered.
	FromDate string `json:"from_date"`
	// ToDate is the last day covered.
	ToDate string `json:"to_date"`
	// Unit is the time unit of the series.
	Unit string `json:"unit"`
	// SegmentProperty is the property segmented by; "" for none.
	SegmentProperty string `json:"segment_property,omitempty"`
	// Total is the sum over every segment and date.
	Total float64 `json:"total"`
	// Series maps segment → date → value.
	Series map[string]map[string]float64 `json:"series"`
}

// Param is one query parameter of a RawRequest, in order.
type Param struct {
	// Key is the parameter's name.
	Key string
	// Value is its value.
	Value string
}

// RawRequest is a request to any Mixpanel endpoint (Workspace.Do).
type RawRequest struct {
	// Method is the HTTP method; empty means GET.
	Method string
	// Path is the path on the region's API host, such as /api/app/me or
	// /api/query/engage; {project_id} and {workspace_id} in it are filled
	// in from the session.
	Path string
	// Params are query parameters, sent in order.
	Params []Param
	// Body is the request body; nil for none.
	Body []byte
	// ContentType is Body's media type; empty when there is no body.
	ContentType string
}

// RawResponse is the answer of Workspace.Do.
type RawResponse struct {
	// Status is the HTTP status code.
	Status int
	// ContentType is the response's media type.
	ContentType string
	// Body is the response body.
	Body []byte
}

// DescribeOptions tune Workspace.Describe.
type DescribeOptions struct {
	// Explain adds, per axis, which source won and which it shadowed
	// (SessionDescription.Explain).
	Explain bool
}

// SessionDescription is the handle's session as `mp session` shows it:
// what it resolved to, with names from the cached /me answer.
type SessionDescription struct {
	// Account is the session's account.
	Account DescribedAccount `json:"account"`
	// Project is the session's project.
	Project DescribedProject `json:"project"`
	// Workspace is the session's workspace; nil when it is picked lazily
	// (the project's default, at the first workspace-scoped call).
	Workspace *DescribedWorkspace `json:"workspace"`
	// UserEmail is the signed-in user's email from the cached /me answer;
	// "" when there is none.
	UserEmail string `json:"user_email,omitempty"`
	// BridgePath is the bridge file in effect; "" when there is none.
	BridgePath string `json:"bridge_path,omitempty"`
	// Explain is the per-axis provenance; nil unless asked for.
	Explain *Explanation `json:"explain,omitempty"`
}

// DescribedAccount is the account of a SessionDescription.
type DescribedAccount struct {
	// Name is the account's name.
	Name string `json:"name"`
	// Type is its type.
	Type AccountType `json:"type"`
	// Region is its region.
	Region Region `json:"region"`
	// Source is where it came from, for people: "option WithAccount",
	// "env MP_ACCOUNT", "target NAME", "bridge PATH", "active", …
	Source string `json:"source"`
}

// DescribedProject is the project of a SessionDescription.
type DescribedProject struct {
	// ID is the project id.
	ID ProjectID `json:"id"`
	// Name is its name from the cached /me answer; "" when none lists it.
	Name string `json:"name,omitempty"`
	// Source is where it came from.
	Source string `json:"source"`
}

// DescribedWorkspace is the workspace of a SessionDescription.
type DescribedWorkspace struct {
	// ID is the workspace id.
	ID WorkspaceID `json:"id"`
	// Name is its name from the cached /me answer; "" when none lists it.
	Name string `json:"name,omitempty"`
	// Source is where it came from.
	Source string `json:"source"`
}

// Explanation says, per axis, where the session came from.
type Explanation struct {
	// Account explains the account.
	Account AxisExplanation `json:"account"`
	// Project explains the project.
	Project AxisExplanation `json:"project"`
	// Workspace explains the workspace.
	Workspace AxisExplanation `json:"workspace"`
}

// AxisExplanation is where one axis of a session came from.
type AxisExplanation struct {
	// Winner is the source that won.
	Winner Source `json:"winner"`
	// Shadowed lists the lower-priority sources, highest first.
	Shadowed []Source `json:"shadowed"`
	// Ignored lists saved values that did not take part (they belong to
	// another account or project), each with its reason.
	Ignored []IgnoredSource `json:"ignored"`
}

// Source is one candidate of an axis of the resolution chain.
type Source struct {
	// Kind is env, flag (an option of the call: WithAccount, WithProject,
	// WithWorkspace, WithTarget), target, bridge, active, account_default or
	// none.
	Kind string `json:"kind"`
	// Name names the source: the option, variable, target, bridge path,
	// "[active]" or the account.
	Name string `json:"name,omitempty"`
	// Value is the value it offered (never a secret).
	Value string `json:"value"`
}

// IgnoredSource is a candidate left out of an axis, and why.
type IgnoredSource struct {
	Source
	// Reason says why it does not apply.
	Reason string `json:"reason"`
}
