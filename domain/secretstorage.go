package domain

import (
	"maps"
	"slices"
)

// SecretBackend names where mp keeps the secrets it writes
// ([settings] secret_backend, MP_SECRET_BACKEND).
type SecretBackend string

// The secret backends.
const (
	// SecretBackendFile keeps service-account secrets and static tokens
	// inline in config.toml and OAuth tokens in accounts/<name>/tokens.json
	// — what the Python tool reads. The default.
	SecretBackendFile SecretBackend = "file"
	// SecretBackendKeychain keeps them in the OS keychain; config.toml holds
	// empty secret and token values.
	SecretBackendKeychain SecretBackend = "keychain"
)

// SecretBackends returns the backends, default first.
func SecretBackends() []SecretBackend {
	return []SecretBackend{SecretBackendFile, SecretBackendKeychain}
}

// ParseSecretBackend validates a backend name; "" is the file backend.
func ParseSecretBackend(s string) (SecretBackend, error) {
	switch SecretBackend(s) {
	case "", SecretBackendFile:
		return SecretBackendFile, nil
	case SecretBackendKeychain:
		return SecretBackendKeychain, nil
	}
	return "", invalidArgument("secret backend", s, `must be "file" or "keychain"`).
		WithHint(`set secret_backend (or MP_SECRET_BACKEND) to "file" or "keychain"`)
}

// OrDefault returns b, or the file backend when b is zero.
func (b SecretBackend) OrDefault() SecretBackend {
	if b == "" {
		return SecretBackendFile
	}
	return b
}

// SecretCommands maps an account to the argv of a command that prints its
// secret ([settings.secret_commands] NAME = ["pass", "show", "mp/NAME"]).
// Arguments may hold "{account}" and "{kind}" placeholders.
type SecretCommands map[AccountName][]string

// Clone returns a deep copy (nil for an empty map).
func (c SecretCommands) Clone() SecretCommands {
	if len(c) == 0 {
		return nil
	}
	out := make(SecretCommands, len(c))
	for k, v := range c {
		out[k] = slices.Clone(v)
	}
	return out
}

// Names returns the accounts with a command, sorted.
func (c SecretCommands) Names() []AccountName { return slices.Sorted(maps.Keys(c)) }

// TokenBackends maps an oauth_browser account to the backend that holds
// its OAuth tokens ([settings.token_backends] NAME = "keychain"). An
// account without an entry keeps them in the file backend
// (accounts/<name>/tokens.json, where the Python tool looks); mp records
// the keychain here in the same config transaction that puts the tokens
// there, so that where they live is known without asking the keychain.
type TokenBackends map[AccountName]SecretBackend

// Clone returns a copy (nil for an empty map).
func (t TokenBackends) Clone() TokenBackends {
	if len(t) == 0 {
		return nil
	}
	return maps.Clone(t)
}

// Of returns the backend holding the tokens of account name: its entry,
// else the file backend.
func (t TokenBackends) Of(name AccountName) SecretBackend { return t[name].OrDefault() }

// Names returns the accounts with an entry, sorted.
func (t TokenBackends) Names() []AccountName { return slices.Sorted(maps.Keys(t)) }

// SetTokenBackend records which backend holds the OAuth tokens of account
// name; the file backend (or "") removes the entry, since an account
// without one keeps them in tokens.json.
func (c *Config) SetTokenBackend(name AccountName, b SecretBackend) error {
	if _, err := ParseAccountName(string(name)); err != nil {
		return err
	}
	b, err := ParseSecretBackend(string(b))
	if err != nil {
		return err
	}
	if b == SecretBackendFile {
		delete(c.settings.TokenBackends, name)
		if len(c.settings.TokenBackends) == 0 {
			c.settings.TokenBackends = nil
		}
		return nil
	}
	if c.settings.TokenBackends == nil {
		c.settings.TokenBackends = TokenBackends{}
	}
	c.settings.TokenBackends[name] = b
	return nil
}

// validateSecrets checks secret_backend, secret_commands and
// token_backends.
func (s Settings) validateSecrets() error {
	if s.SecretBackend != "" {
		if _, err := ParseSecretBackend(string(s.SecretBackend)); err != nil {
			return prefixed("[settings].secret_backend", err)
		}
	}
	for _, name := range s.SecretCommands.Names() {
		if _, err := ParseAccountName(string(name)); err != nil {
			return prefixed("[settings.secret_commands]", err)
		}
		argv := s.SecretCommands[name]
		if len(argv) == 0 || argv[0] == "" {
			return NewError(CodeInvalidArgument, "[settings.secret_commands] %s: the command is empty", name).
				WithHint(`write the command as an array, e.g. %s = ["pass", "show", "mp/%s"]`, name, name)
		}
	}
	for _, name := range s.TokenBackends.Names() {
		if _, err := ParseAccountName(string(name)); err != nil {
			return prefixed("[settings.token_backends]", err)
		}
		if _, err := ParseSecretBackend(string(s.TokenBackends[name])); err != nil || s.TokenBackends[name] == "" {
			return NewError(CodeInvalidArgument, "[settings.token_backends] %s: %q is not a secret backend", name, string(s.TokenBackends[name])).
				WithHint(`write %s = "keychain", or remove the line when the tokens are in accounts/%s/tokens.json`, name, name)
		}
	}
	return nil
}

// SetSecretBackend records where mp puts new secrets.
func (c *Config) SetSecretBackend(b SecretBackend) error {
	if _, err := ParseSecretBackend(string(b)); err != nil {
		return err
	}
	c.settings.SecretBackend = b
	return nil
}
