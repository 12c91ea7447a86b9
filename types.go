package mp

import (
	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
)

// Result and input types. They are the types of the use cases (package
// app) and of the domain, under the names of the library; their fields and
// JSON tags are those of `mp … --format json`.
type (
	// AccountSummary describes one account without its credentials.
	AccountSummary = app.AccountSummary
	// AddAccountResult is the outcome of Accounts.Add.
	AddAccountResult = app.AddAccountResult
	// RemoveAccountResult is the outcome of Accounts.Remove.
	RemoveAccountResult = app.RemoveAccountResult
	// AccountTestResult is the outcome of Accounts.Test.
	AccountTestResult = app.AccountTestResult
	// LoginResult is the outcome of Accounts.Login.
	LoginResult = app.LoginResult
	// LoginOptions tune Accounts.Login (no browser, paste input, events).
	LoginOptions = app.LoginOptions
	// LoginEvent reports the progress of a browser login to
	// LoginOptions.Notify: the authorize URL (LoginURL), waiting
	// (LoginWaiting), a code arrived (LoginCode).
	LoginEvent = ports.LoginEvent
	// LogoutResult is the outcome of Accounts.Logout.
	LogoutResult = app.LogoutResult
	// BridgeExport asks Accounts.ExportBridge for a bridge file: the path
	// to write, the account, and the project and workspace to pin.
	BridgeExport = app.BridgeExport
	// BridgeExportResult is the outcome of Accounts.ExportBridge (no
	// secrets).
	BridgeExportResult = app.BridgeExportResult
	// BridgeRemoveResult is the outcome of Accounts.RemoveBridge.
	BridgeRemoveResult = app.BridgeRemoveResult
	// MigrateResult is the outcome of Accounts.MigrateSecrets: the backend
	// the secrets moved to and what happened to each account.
	MigrateResult = app.MigrateResult
	// Target describes one saved target: name, account, project and
	// workspace.
	Target = app.TargetView
	// SessionView is the resolved session as `mp session` shows it.
	SessionView = app.SessionView
	// ProjectSummary is one project an account can see.
	ProjectSummary = app.ProjectSummary
	// WorkspaceSummary is one workspace of a project.
	WorkspaceSummary = app.WorkspaceSummary

	// Account is an account to add: name, type, region, default project
	// and its credentials (Username and Secret, or TokenEnv, …).
	Account = domain.Account
	// AccountName is an account's name (the type of Account.Name).
	AccountName = domain.AccountName
	// AccountType is service_account, oauth_browser or oauth_token.
	AccountType = domain.AccountType
	// Region is a Mixpanel data region: us, eu or in.
	Region = domain.Region
	// ProjectID is a project id (digits), the type of Account.DefaultProject.
	ProjectID = domain.ProjectID
	// AccountPatch lists the fields Accounts.Update changes (nil: kept).
	AccountPatch = domain.AccountPatch
	// Secret holds a credential; it prints as a redaction everywhere.
	Secret = domain.Secret
	// Me is an account's /me answer: user, organisations, projects and
	// workspaces.
	Me = domain.Me
	// SegmentationQuery is a segmentation query (event, dates, unit, …).
	SegmentationQuery = domain.SegmentationQuery
	// SegmentationResult is a segmentation answer: total and series.
	SegmentationResult = domain.SegmentationResult
	// RawRequest is a raw Mixpanel request for Workspace.Do.
	RawRequest = domain.RawRequest
	// RawResponse is the answer of Workspace.Do.
	RawResponse = domain.RawResponse
)

// The kinds of LoginEvent, in the order they happen.
const (
	LoginURL     = ports.LoginURL
	LoginWaiting = ports.LoginWaiting
	LoginCode    = ports.LoginCode
)

// Account types and regions, for Account values.
const (
	TypeServiceAccount = domain.TypeServiceAccount
	TypeOAuthBrowser   = domain.TypeOAuthBrowser
	TypeOAuthToken     = domain.TypeOAuthToken

	RegionUS = domain.RegionUS
	RegionEU = domain.RegionEU
	RegionIN = domain.RegionIN
)

// NewSecret wraps a credential so that it never prints.
func NewSecret(s string) Secret { return domain.NewSecret(s) }
