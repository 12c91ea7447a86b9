package wiring

import (
	"context"

	"github.com/mpdata/mp/adapters/filestore"
	"github.com/mpdata/mp/adapters/keychain"
	"github.com/mpdata/mp/adapters/secretexec"
	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
)

// SecretBackend is domain.SecretBackend, the name of a secret backend
// (an alias, so that callers of this package need not import domain).
type SecretBackend = domain.SecretBackend

// The secret backends Build knows (domain's).
const (
	// SecretBackendFile keeps secrets in config.toml and tokens in
	// accounts/<name>/tokens.json under the storage root (the default).
	SecretBackendFile = domain.SecretBackendFile
	// SecretBackendKeychain keeps new service-account secrets, static
	// tokens and OAuth tokens in the OS keychain; config.toml holds empty
	// values.
	SecretBackendKeychain = domain.SecretBackendKeychain
)

// EnvSecretBackend overrides [settings] secret_backend.
const EnvSecretBackend = "MP_SECRET_BACKEND"

// ResolveSecrets returns the secret backend — MP_SECRET_BACKEND when set,
// else [settings] secret_backend of the config at path, else the file
// backend — and the config's [settings.secret_commands]. A config that
// cannot be read counts as one without settings: the use cases report it.
// An unknown MP_SECRET_BACKEND is returned as is, for Build to refuse.
func ResolveSecrets(env ports.Env, path ConfigPath, home HomeDir) (domain.SecretBackend, domain.SecretCommands) {
	var st domain.Settings
	if cfg, err := filestore.NewConfigStore(string(path), string(home)).Load(context.Background()); err == nil {
		st = cfg.Settings()
	}
	if v := trimmed(env, EnvSecretBackend); v != "" {
		return domain.SecretBackend(v), st.SecretCommands
	}
	return st.SecretBackend.OrDefault(), st.SecretCommands
}

// NewFileSecretStore provides the file SecretStore under dir.
func NewFileSecretStore(dir StorageDir, home HomeDir) *filestore.SecretStore {
	return filestore.NewSecretStore(string(dir), string(home))
}

// NewKeychain provides the OS keychain store (service "mp", 3 s per call).
func NewKeychain() *keychain.Store { return keychain.New(keychain.Options{}) }

// NewSecretExec provides the secret-command store over
// s.SecretCommands.
func NewSecretExec(s Settings) *secretexec.Store {
	return secretexec.New(secretexec.Options{Commands: s.SecretCommands})
}

// NewFileSecrets provides the stores with the file backend selected.
func NewFileSecrets(files *filestore.SecretStore, kc *keychain.Store, ex *secretexec.Store) app.SecretStores {
	return app.SecretStores{Backend: domain.SecretBackendFile, File: files, Keychain: kc, Exec: ex}
}

// NewKeychainSecrets provides the stores with the keychain selected.
func NewKeychainSecrets(files *filestore.SecretStore, kc *keychain.Store, ex *secretexec.Store) app.SecretStores {
	return app.SecretStores{Backend: domain.SecretBackendKeychain, File: files, Keychain: kc, Exec: ex}
}
