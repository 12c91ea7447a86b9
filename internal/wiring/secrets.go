package wiring

import (
	"context"

	"github.com/mpdata/mp/adapters/filestore"
	"github.com/mpdata/mp/adapters/secretexec"
	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
)

// EnvSecretBackend overrides [settings] secret_backend.
const EnvSecretBackend = "MP_SECRET_BACKEND"

// resolveSecrets returns the explicit secret backend — MP_SECRET_BACKEND,
// empty when unset — and the config's [settings.secret_commands] from st.
// The [settings] secret_backend of the config is not resolved here: the
// App reads it at each write from the config that write loaded
// (app.SecretStores.Backend), so that a change of the setting (a
// migration) applies at once. An unknown MP_SECRET_BACKEND is returned as
// is, for Build to refuse.
func resolveSecrets(env ports.Env, st domain.Settings) (domain.SecretBackend, domain.SecretCommands) {
	return domain.SecretBackend(trimmed(env, EnvSecretBackend)), st.SecretCommands
}

// configSettings returns the [settings] of the config of store; none when
// it cannot be read (the use cases report that). The store keeps what it
// decoded for the use cases (NewFileConfigStore).
func configSettings(store *filestore.ConfigStore) domain.Settings {
	cfg, err := store.Load(context.Background())
	if err != nil {
		return domain.Settings{}
	}
	return cfg.Settings()
}

// NewFileSecretStore provides the file SecretStore under dir.
func NewFileSecretStore(dir StorageDir, home HomeDir) *filestore.SecretStore {
	return filestore.NewSecretStore(string(dir), string(home))
}

// Keychain is the OS keychain store of an App (a type of its own for the
// provider graph); nil when the program linked none (Settings.Keychain).
type Keychain interface{ ports.SecretStore }

// NewKeychain provides the keychain store Settings.Keychain makes, or nil.
func NewKeychain(s Settings) Keychain {
	if s.Keychain == nil {
		return nil
	}
	return s.Keychain()
}

// NewSecretExec provides the secret-command store over
// s.SecretCommands.
func NewSecretExec(s Settings) *secretexec.Store {
	return secretexec.New(secretexec.Options{Commands: s.SecretCommands})
}

// NewFileSecrets provides the stores when no backend is forced or the
// file backend is: s.SecretBackend is empty — each write follows
// [settings] secret_backend of the config it loaded, else file — or
// "file" (MP_SECRET_BACKEND=file, mp.WithSecretBackend("file")). The
// keychain store is there either way, for the accounts kept in it and
// for writes the setting sends there.
func NewFileSecrets(s Settings, files *filestore.SecretStore, kc Keychain, ex *secretexec.Store) app.SecretStores {
	return app.SecretStores{Backend: s.SecretBackend, File: files, Keychain: storeOrNil(kc), Exec: ex}
}

// NewKeychainSecrets provides the stores with the keychain forced
// (MP_SECRET_BACKEND=keychain, mp.WithSecretBackend("keychain")): every
// write goes to the keychain whatever the config says.
func NewKeychainSecrets(files *filestore.SecretStore, kc Keychain, ex *secretexec.Store) app.SecretStores {
	return app.SecretStores{Backend: domain.SecretBackendKeychain, File: files, Keychain: storeOrNil(kc), Exec: ex}
}

// storeOrNil keeps "no keychain" a nil ports.SecretStore.
func storeOrNil(kc Keychain) ports.SecretStore {
	if kc == nil {
		return nil
	}
	return kc
}
