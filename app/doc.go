// Package app holds the use cases of mp: managing accounts, targets, the
// active project and workspace, and showing the resolved session; and,
// through ports.MixpanelAPI, the calls to Mixpanel — /me (cached in memory
// and through ports.MeCache for 24 h), account tests and region probes,
// project and workspace lists, queries and raw requests. The workspace of
// a workspace-scoped call is resolved lazily when none is set, once per
// (account, project) for the life of the App.
//
// oauth_browser accounts log in through ports.OAuthFlow (Accounts.Login,
// and Accounts.LoginAny for `mp login`, which also adds service-account and
// static-token accounts); nothing is persisted before /me accepted the new
// credentials. Their tokens live in ports.TokenStore and are refreshed
// lazily, 30 s before expiry, by one goroutine per account in the process
// and under the account's cross-process refresh lock, re-reading the
// tokens after taking it so that N processes cause one refresh.
//
// Secrets live where Deps.Secrets says (app/secrets.go): inline in the
// config (the file backend), in the OS keychain (an empty secret or token
// in the config), or printed by a per-account secret command; OAuth tokens
// in tokens.json, or in the keychain when [settings.token_backends]
// records it (read there only: no probing). New secrets go to the selected backend;
// Accounts.MigrateSecrets moves existing ones, copy-verify-switch-delete.
//
// A bridge file found through ports.BridgeStore (Deps.Bridges) takes part
// in every resolution at its place in the chain. Its account is neither a
// config account nor the host's account of that name: its /me answer stays
// in memory, and its oauth_browser tokens are read from and refreshed back
// into the bridge file under <bridge>.lock, by the same refresh logic over
// a ports.TokenStore view of the bridge. Accounts.ExportBridge and
// Accounts.RemoveBridge write and delete bridges.
//
// Each service method loads the config through ports.ConfigStore (or changes
// it inside exactly one ConfigStore.Update transaction, through the methods
// of domain.Config), resolves the session with domain.Resolve or
// domain.ResolveAccount over a snapshot of the environment, and returns plain
// result types with JSON tags plus typed *domain.Error values.
//
// The package prints nothing, prompts for nothing, reads no process
// environment and no clock (Deps.Env and Deps.Clock stand for them): the
// CLI and the library facade decide how to show results and ask for input. It logs what it does at debug level, and
// never a secret.
package app
