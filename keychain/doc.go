// Package keychain links the OS keychain (the Secret Service over D-Bus,
// the macOS keychain, the Windows Credential Manager) into a program that
// uses the mp library:
//
//	ws, err := mp.Open(ctx, keychain.Enable())
//
// The library leaves the keychain out unless this package is imported, so
// a program that keeps its secrets in files does not link go-keyring and
// D-Bus. Accounts that `mp account migrate-secrets --to keychain` or the
// keychain backend put there need it. See docs/library.md and
// docs/storage-backends.md.
package keychain
