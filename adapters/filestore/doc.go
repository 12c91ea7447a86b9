// Package filestore keeps mp's state in files: the config document
// (config.toml, schema of docs/reference/files.md) and the per-account data
// directories under the storage root.
//
// ConfigStore implements ports.ConfigStore on github.com/pelletier/go-toml/v2.
// It reads and writes exactly the schema the Python tool uses — [active],
// [accounts.NAME], [targets.NAME], [settings] — and preserves, values and
// types, every top-level table or key and every [settings] key it does not
// know. Comments and the original layout are not preserved: a rewritten
// file lists [active], the accounts and the targets sorted by name,
// [settings], then the unknown tables.
//
// Every Update is one transaction under an exclusive lock on
// "config.toml.lock" beside the file: re-read, apply, validate, write
// atomically and durably (temporary file, fsync, rename, fsync of the
// directory). A file that cannot be read safely or parsed is never
// overwritten. Reads follow the credential-file rules of docs/reference/files.md
// (no symlinks, mode 0600, regular file, at most 1 MiB).
//
// AccountStorage implements ports.AccountStorage over
// <root>/accounts/<name>/.
//
// MeCache implements ports.MeCache over <root>/accounts/<name>/me.json
// (docs/reference/files.md), in the Python tool's format: the /me results object,
// unknown fields kept, plus "cached_at" in Unix seconds.
//
// TokenStore implements ports.TokenStore over
// <root>/accounts/<name>/tokens.json (docs/reference/files.md) — expires_at
// written as RFC 3339 with "+00:00", read with any offset, never naive —
// and the per-account refresh lock <root>/accounts/<name>/.refresh.lock.
// ClientCache implements ports.ClientCache over
// <root>/oauth/client_<region>.json (docs/reference/files.md). Both follow the credential-file
// rules of docs/reference/files.md.
//
// BridgeStore implements ports.BridgeStore over bridge files
// (docs/reference/bridge.md): discovery per docs/reference/files.md
// (MP_AUTH_FILE exclusively, else ~/.claude/mixpanel/auth.json, else
// ./mixpanel_auth.json when owned by the current user), the credential-file
// rules of docs/reference/files.md on every read, atomic 0600 writes and the
// lock <bridge>.lock.
package filestore
