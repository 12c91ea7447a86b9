package wiring

import (
	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/domain"
)

// Build builds the App the settings describe: it checks s (the paths, the
// request timeout, the backend) and picks the
// injector of s.SecretBackend (one injector per backend; empty: the file
// injector, whose App follows [settings] secret_backend at each write). It is the one
// entry point of both the mp command and the root library.
func Build(s Settings) (*app.App, error) {
	if s.ConfigPath == "" || s.StorageDir == "" {
		return nil, domain.NewError(domain.CodeConfigError, "no config path or storage directory to build mp on").
			WithHint("resolve the settings with wiring.Resolve, or set both paths")
	}
	if s.RequestTimeout.Err != nil {
		return nil, s.RequestTimeout.Err
	}
	switch s.SecretBackend {
	case "", domain.SecretBackendFile:
		return NewFileApp(s)
	case domain.SecretBackendKeychain:
		return NewKeychainApp(s)
	default:
		return nil, domain.NewError(domain.CodeConfigError, "unknown secret backend %q", string(s.SecretBackend)).
			WithHint("use one of: %s, %s (MP_SECRET_BACKEND or [settings] secret_backend)", domain.SecretBackendFile, domain.SecretBackendKeychain)
	}
}
