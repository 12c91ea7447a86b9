// Package mp is the Go library of mp, the Mixpanel credentials and context
// manager: the same accounts, targets and session as the mp command, for
// programs and agents that work across many accounts and projects in one
// process.
//
// Open returns a *Workspace — a handle on one session (account, project,
// workspace) resolved like the command line does (environment, explicit
// options, targets, a bridge file, the config's active account):
//
//	ws, err := mp.Open(ctx)                         // the active session
//	ws, err = mp.Open(ctx, mp.WithAccount("prod"))  // another account
//	res, err := ws.Segmentation(ctx, mp.SegmentationQuery{Event: "Login", From: "2026-01-01", To: "2026-01-31"})
//
// Use switches the handle in one line, atomically (a failed switch leaves
// the old session in force) and without a network round trip: the handle
// keeps one HTTP client for its life, every account's /me answer and the
// lazily chosen workspace of each (account, project).
//
//	err = ws.Use(ctx, mp.WithAccount("staging"), mp.WithProject("3713224"))
//
// A Workspace is safe for concurrent use. For parallel work with a session
// per goroutine, fork handles: they share the engine.
//
//	h, err := ws.Fork(ctx, mp.WithAccount("staging"))
//
// Use with Persist also writes the session to the config, as
// `mp account use` and `mp target use` do; Describe shows it as
// `mp session` does. The namespaces Accounts and Targets mirror
// `mp account` and `mp target`; HTTPClient authenticates requests of your
// own. Every type of the API is declared here — the only others it names
// are standard ones and two well-known interfaces, *zap.Logger
// (WithLogger) and oauth2.TokenSource (Accounts.TokenSource) — so a
// program imports nothing else of mp (and github.com/mpdata/mp/mptest in
// its tests).
//
// Every error is an *Error with a stable Code (errors.As, errors.Is with
// the Code constants); warnings a caller must act on come back typed
// (Warning, with a WarningCode). Tests run against the sandbox server of
// github.com/mpdata/mp/mptest (see the examples and docs/library.md).
package mp
