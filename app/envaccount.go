package app

import "github.com/mpdata/mp/domain"

// isEnvBuilt reports whether the account axis was won by an in-memory
// account built from the environment (the service-account quad or the OAuth
// triple), as opposed to a config account named by MP_ACCOUNT.
func isEnvBuilt(prov domain.AxisProvenance) bool {
	w := prov.Winner.Source
	return w.Kind == domain.SourceEnv && w.Name != domain.EnvAccount
}

// isEnvAccountName reports whether name is one of the names the resolver
// gives to accounts built from the environment.
func isEnvAccountName(name domain.AccountName) bool {
	return name == domain.EnvServiceAccountName || name == domain.EnvOAuthTokenName
}

// envVarsOf names the variables an env-built account comes from.
func envVarsOf(name domain.AccountName) string {
	if name == domain.EnvOAuthTokenName {
		return "MP_OAUTH_TOKEN, MP_PROJECT_ID and MP_REGION"
	}
	return "MP_USERNAME, MP_SECRET, MP_PROJECT_ID and MP_REGION"
}

// errEnvAccountReadOnly is the CONFIG_ERROR for an attempt to change an
// account that exists only in the environment. action says what was tried,
// e.g. "set the default project of".
func errEnvAccountReadOnly(name domain.AccountName, action string) *domain.Error {
	return domain.NewError(domain.CodeConfigError,
		"cannot %s account '%s': it is built from the environment variables %s and is not stored in the config",
		action, name, envVarsOf(name)).
		WithDetail("account", string(name)).
		WithHint("change the environment variables instead (MP_PROJECT_ID sets its project), or unset them to work with the accounts in the config (see `mp account list`)")
}
