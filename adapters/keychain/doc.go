// Package keychain is a ports.SecretStore over the operating system's
// keychain through github.com/zalando/go-keyring: the macOS Keychain, the
// Windows Credential Manager, or a freedesktop Secret Service
// (gnome-keyring, KeePassXC) over D-Bus on Linux and the BSDs.
//
// Each secret is one item of the service "mp" (Options.Service) whose user
// is "<account>/<kind>"; the value is stored as "mp1:" followed by its
// standard base64 encoding, so binary values survive every platform (a
// value without that prefix — put there by hand — is read as is).
//
// Every keychain call runs in its own goroutine under a timeout (3 s by
// default): a hung D-Bus or an unanswered unlock prompt ends as
// SECRET_STORE_UNAVAILABLE instead of hanging mp. Values over the
// platform's limit (MaxSize) are refused with an error matching
// ports.ErrTooLarge. Nothing ever falls back to a file.
package keychain
