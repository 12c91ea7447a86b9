// Package mp is the Go library entry point of mp, the Mixpanel credentials
// and context manager. The library facade (Open, Workspace, Accounts,
// Targets, Session) arrives with issue 6; today the CLI in cmd/mp is the
// entry point, wired through internal/wiring.
package mp
