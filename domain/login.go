package domain

import "strings"

// LoginSignals are what picks the account type of `mp login`
// (docs/reference/cli.md): which credential flags were given, and which of the
// environment variables MP_USERNAME, MP_SECRET and MP_OAUTH_TOKEN are set
// to a non-empty value. The caller reads the environment; the rule is pure.
type LoginSignals struct {
	// ServiceAccount is --service-account.
	ServiceAccount bool
	// Username reports whether --username was given (even empty).
	Username bool
	// SecretStdin is --secret-stdin.
	SecretStdin bool
	// TokenEnv reports whether --token-env was given (even empty).
	TokenEnv bool
	// NoBrowser is --no-browser.
	NoBrowser bool
	// EnvUsername reports whether $MP_USERNAME is non-empty.
	EnvUsername bool
	// EnvSecret reports whether $MP_SECRET is non-empty.
	EnvSecret bool
	// EnvOAuthToken reports whether $MP_OAUTH_TOKEN is non-empty.
	EnvOAuthToken bool
}

// LoginTypeReason says which signal picked the account type of `mp login`,
// so that the caller can tell the user (for example that MP_OAUTH_TOKEN is
// used).
type LoginTypeReason string

// The reasons DetectLoginType returns, in the order of the detection chain.
const (
	// LoginByServiceAccountFlags: --service-account, --username or
	// --secret-stdin.
	LoginByServiceAccountFlags LoginTypeReason = "service_account_flags"
	// LoginByTokenEnvFlag: --token-env.
	LoginByTokenEnvFlag LoginTypeReason = "token_env_flag"
	// LoginByEnvServiceAccount: $MP_USERNAME together with $MP_SECRET.
	LoginByEnvServiceAccount LoginTypeReason = "env_service_account"
	// LoginByEnvOAuthToken: $MP_OAUTH_TOKEN (the account reads it at
	// request time; the value is never stored).
	LoginByEnvOAuthToken LoginTypeReason = "env_oauth_token"
	// LoginByBrowser: nothing else was given, so a browser login.
	LoginByBrowser LoginTypeReason = "browser"
)

// DetectLoginType picks the account type of `mp login`, in this order:
// the service-account flags (--service-account, --username,
// --secret-stdin); --token-env; $MP_USERNAME with $MP_SECRET (a service
// account); $MP_OAUTH_TOKEN (an oauth_token account); otherwise the
// browser (oauth_browser). Explicit flags always win over the environment.
//
// It fails with INVALID_ARGUMENT when --token-env is combined with the
// service-account flags, or when --no-browser (which applies to the
// browser login only) meets anything that selects another type.
func DetectLoginType(s LoginSignals) (AccountType, LoginTypeReason, error) {
	saFlags := s.ServiceAccount || s.Username || s.SecretStdin
	switch {
	case saFlags && s.TokenEnv:
		return "", "", NewError(CodeInvalidArgument,
			"--token-env cannot be combined with --service-account, --username or --secret-stdin").
			WithHint("a service account takes --username and a secret; an oauth_token account takes --token-env")
	case (saFlags || s.TokenEnv) && s.NoBrowser:
		return "", "", NewError(CodeInvalidArgument, "--no-browser applies to the browser login only").
			WithHint("drop --no-browser, or drop the service-account/token flags for a browser login")
	case saFlags:
		return TypeServiceAccount, LoginByServiceAccountFlags, nil
	case s.TokenEnv:
		return TypeOAuthToken, LoginByTokenEnvFlag, nil
	}
	var (
		typ    AccountType
		reason LoginTypeReason
		names  string
	)
	switch {
	case s.EnvUsername && s.EnvSecret:
		typ, reason, names = TypeServiceAccount, LoginByEnvServiceAccount, EnvUsername+" and "+EnvSecret
	case s.EnvOAuthToken:
		typ, reason, names = TypeOAuthToken, LoginByEnvOAuthToken, EnvOAuthToken
	default:
		return TypeOAuthBrowser, LoginByBrowser, nil
	}
	if s.NoBrowser {
		return "", "", NewError(CodeInvalidArgument,
			"--no-browser applies to the browser login only, and %s selects a %s", names, typ).
			WithHint("unset %s for a browser login, or drop --no-browser", names)
	}
	return typ, reason, nil
}

// LoginUsername is the username of a service-account `mp login`: the
// --username value, else $MP_USERNAME (env, as read by the caller). Neither
// is INVALID_ARGUMENT.
func LoginUsername(flag, env string) (string, error) {
	if flag != "" {
		return flag, nil
	}
	if env != "" {
		return env, nil
	}
	return "", NewError(CodeInvalidArgument, "a service account needs a username").
		WithHint("pass --username USER or set MP_USERNAME")
}

// CheckTokenEnvName checks the name an oauth_token account reads its token
// from (--token-env): a portable environment variable name
// ([A-Za-z_][A-Za-z0-9_]*). Anything else is INVALID_ARGUMENT.
func CheckTokenEnvName(name string) error {
	if ValidEnvVarName(name) {
		return nil
	}
	return NewError(CodeInvalidArgument, "flag --token-env: %q is not a valid environment variable name", name).
		WithHint("use a name like MP_CI_TOKEN (letters, digits, _; not starting with a digit)")
}

// CheckLoginTokenEnv checks the variable an oauth_token `mp login` reads:
// its name must be valid (CheckTokenEnvName) and its value (read by the
// caller; blank counts as unset) must hold a token, since the login checks
// it with /me.
func CheckLoginTokenEnv(name, value string) error {
	if err := CheckTokenEnvName(name); err != nil {
		return err
	}
	if strings.TrimSpace(value) == "" {
		return NewError(CodeInvalidArgument, "$%s is not set", name).
			WithHint("export %s=<token> first; mp login checks the token with /me", name)
	}
	return nil
}

// SecretSource is where a service account's secret is read from.
type SecretSource string

// The sources of a service account's secret, in the order they are tried.
const (
	// SecretFromStdin: --secret-stdin.
	SecretFromStdin SecretSource = "stdin"
	// SecretFromEnv: $MP_SECRET.
	SecretFromEnv SecretSource = "env"
	// SecretFromPrompt: a hidden prompt on the terminal.
	SecretFromPrompt SecretSource = "prompt"
)

// PickSecretSource applies the order of docs/reference/cli.md for a service
// account's secret: --secret-stdin (stdin), else $MP_SECRET when it is
// non-empty (envSet), else a hidden prompt when stdin is a terminal
// (canPrompt). With none of them it is INVALID_ARGUMENT.
func PickSecretSource(stdin, envSet, canPrompt bool) (SecretSource, error) {
	switch {
	case stdin:
		return SecretFromStdin, nil
	case envSet:
		return SecretFromEnv, nil
	case canPrompt:
		return SecretFromPrompt, nil
	}
	return "", NewError(CodeInvalidArgument, "a service account needs a secret and none was given").
		WithHint("pipe it to --secret-stdin, or set MP_SECRET, or run on a terminal to be prompted")
}
