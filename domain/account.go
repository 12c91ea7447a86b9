package domain

import (
	"maps"
	"time"
)

// Account is one set of credentials bound to a region. The fields used
// depend on Type:
//
//   - service_account: Username and Secret (both required).
//   - oauth_browser: none; tokens live in storage, not in the config.
//   - oauth_token: exactly one of Token (inline) or TokenEnv (the name of an
//     environment variable read at request time).
//
// External marks a service_account secret or oauth_token token kept outside
// the config — in the OS keychain, or printed by a secret command — which
// config.toml records as an empty secret or token value. Secret and Token
// are then zero.
type Account struct {
	Name           AccountName
	Type           AccountType
	Region         Region
	DefaultProject ProjectID // zero when the account has no default project
	Username       string    // service_account
	Secret         Secret    // service_account
	Token          Secret    // oauth_token, inline
	TokenEnv       string    // oauth_token, indirection
	External       bool      // service_account, oauth_token: the secret lives in a secret store
}

// Equal reports whether a and o are the same account, field by field
// (Account holds Secrets, so == does not compile).
func (a Account) Equal(o Account) bool {
	return a.Name == o.Name && a.Type == o.Type && a.Region == o.Region && a.DefaultProject == o.DefaultProject &&
		a.Username == o.Username && a.Secret.Equal(o.Secret) && a.Token.Equal(o.Token) &&
		a.TokenEnv == o.TokenEnv && a.External == o.External
}

// Validate checks every rule of docs/reference/model.md for the account.
func (a Account) Validate() error {
	if _, err := ParseAccountName(string(a.Name)); err != nil {
		return err
	}
	if _, err := ParseAccountType(string(a.Type)); err != nil {
		return prefixed(a.where(), err)
	}
	if _, err := ParseRegion(string(a.Region)); err != nil {
		return prefixed(a.where(), err)
	}
	if a.DefaultProject.IsSet() {
		if _, err := ParseProjectID(string(a.DefaultProject)); err != nil {
			return prefixed(a.where(), err)
		}
	}
	switch a.Type {
	case TypeServiceAccount:
		if a.Username == "" {
			return NewError(CodeInvalidArgument, "%s: a service account needs a username", a.where()).
				WithHint("pass --username")
		}
		if a.Secret.IsZero() && !a.External {
			return NewError(CodeInvalidArgument, "%s: a service account needs a secret", a.where()).
				WithHint("pipe it to --secret-stdin or set MP_SECRET")
		}
		if !a.Secret.IsZero() && a.External {
			return NewError(CodeInvalidArgument, "%s: a service account's secret is either in the config or in a secret store, not both", a.where())
		}
		if !a.Token.IsZero() || a.TokenEnv != "" {
			return NewError(CodeInvalidArgument, "%s: a service account cannot have token or token_env", a.where())
		}
	case TypeOAuthToken:
		if n := count(!a.Token.IsZero(), a.TokenEnv != "", a.External); n != 1 {
			return NewError(CodeInvalidArgument, "%s: an oauth_token account needs exactly one of token or token_env", a.where()).
				WithHint("pass --token-env VAR or pipe the token to --token-stdin")
		}
		if a.TokenEnv != "" && !ValidEnvVarName(a.TokenEnv) {
			return NewError(CodeInvalidArgument, "%s: token_env %q is not a valid environment variable name", a.where(), a.TokenEnv)
		}
		if a.Username != "" || !a.Secret.IsZero() {
			return NewError(CodeInvalidArgument, "%s: an oauth_token account cannot have username or secret", a.where())
		}
	case TypeOAuthBrowser:
		if a.Username != "" || !a.Secret.IsZero() || !a.Token.IsZero() || a.TokenEnv != "" || a.External {
			return NewError(CodeInvalidArgument, "%s: an oauth_browser account keeps no credentials in the config (tokens live in storage)", a.where())
		}
	}
	return nil
}

// where names the account in messages; built only for one.
func (a Account) where() string { return "account '" + string(a.Name) + "'" }

// count returns how many of flags are true.
func count(flags ...bool) int {
	n := 0
	for _, f := range flags {
		if f {
			n++
		}
	}
	return n
}

// prefixed returns a copy of err (an *Error) with where in front of its message.
func prefixed(where string, err error) error {
	e, ok := err.(*Error)
	if !ok {
		return err
	}
	out := *e
	out.Message = where + ": " + e.Message
	out.Details = maps.Clone(e.Details)
	return &out
}

// AccountPatch lists the fields `account update` may change; nil means
// "leave as is". The type never changes.
type AccountPatch struct {
	Region         *Region
	DefaultProject *ProjectID
	ClearProject   bool
	Username       *string
	Secret         *Secret
	Token          *Secret // sets the inline token and clears TokenEnv
	TokenEnv       *string // sets TokenEnv and clears the inline token
	// External, when set, sets Account.External (applied after the fields
	// above); true also clears the inline secret, token and token_env.
	External *bool
}

// IsEmpty reports whether the patch changes nothing.
func (p AccountPatch) IsEmpty() bool {
	return p.Region == nil && p.DefaultProject == nil && !p.ClearProject &&
		p.Username == nil && p.Secret == nil && p.Token == nil && p.TokenEnv == nil && p.External == nil
}

// Apply returns a copy of a with the patch applied and validated. On error
// it returns a unchanged.
func (p AccountPatch) Apply(a Account) (Account, error) {
	orig := a
	if p.DefaultProject != nil && p.ClearProject {
		return a, NewError(CodeInvalidArgument, "--project and --clear-project cannot be used together")
	}
	if p.Token != nil && p.TokenEnv != nil {
		return a, NewError(CodeInvalidArgument, "--token-env and --token-stdin cannot be used together")
	}
	where := "account '" + string(a.Name) + "'"
	if (p.Username != nil || p.Secret != nil) && a.Type != TypeServiceAccount {
		return a, NewError(CodeInvalidArgument, "%s is %s: username and secret apply only to service accounts", where, a.Type)
	}
	if (p.Token != nil || p.TokenEnv != nil) && a.Type != TypeOAuthToken {
		return a, NewError(CodeInvalidArgument, "%s is %s: tokens apply only to oauth_token accounts", where, a.Type)
	}
	if p.Region != nil {
		a.Region = *p.Region
	}
	if p.DefaultProject != nil {
		a.DefaultProject = *p.DefaultProject
	}
	if p.ClearProject {
		a.DefaultProject = ""
	}
	if p.Username != nil {
		a.Username = *p.Username
	}
	if p.Secret != nil {
		a.Secret, a.External = *p.Secret, false
	}
	if p.Token != nil {
		a.Token, a.TokenEnv, a.External = *p.Token, "", false
	}
	if p.TokenEnv != nil {
		a.TokenEnv, a.Token, a.External = *p.TokenEnv, Secret{}, false
	}
	if p.External != nil {
		a.External = *p.External
		if a.External {
			a.Secret, a.Token, a.TokenEnv = Secret{}, Secret{}, ""
		}
	}
	if err := a.Validate(); err != nil {
		return orig, err
	}
	return a, nil
}

// Target is a saved cursor: an account, a project and optionally a workspace.
type Target struct {
	Name      TargetName
	Account   AccountName
	Project   ProjectID
	Workspace WorkspaceID // zero when unset
}

// Validate checks the target's own values (not whether its account exists).
func (t Target) Validate() error {
	if _, err := ParseTargetName(string(t.Name)); err != nil {
		return err
	}
	if _, err := ParseAccountName(string(t.Account)); err != nil {
		return prefixed(t.where(), err)
	}
	if _, err := ParseProjectID(string(t.Project)); err != nil {
		return prefixed(t.where(), err)
	}
	if t.Workspace < 0 {
		return prefixed(t.where(), invalidArgument("workspace id", t.Workspace.String(), "must be a positive integer"))
	}
	return nil
}

// where names the target in messages; built only for one.
func (t Target) where() string { return "target '" + string(t.Name) + "'" }

// Active is the persisted selection: an account and optionally a workspace.
// There is no active project: the project lives on the account.
type Active struct {
	Account   AccountName // zero when none
	Workspace WorkspaceID // zero when none
}

// Header is one extra HTTP header sent with every request.
type Header struct {
	Name  string
	Value string
}

// Settings are the parts of [settings] mp understands.
type Settings struct {
	CustomHeader *Header
	// SecretBackend is [settings] secret_backend: where mp puts new
	// secrets; zero means the file backend.
	SecretBackend SecretBackend
	// SecretCommands is [settings.secret_commands]: per account, the argv
	// of a command that prints its secret (see SecretCommands).
	SecretCommands SecretCommands
	// TokenBackends is [settings.token_backends]: per oauth_browser
	// account, the backend that holds its OAuth tokens when it is not the
	// file backend (see TokenBackends).
	TokenBackends TokenBackends
	// HTTPTimeout is [settings] http_timeout (mp only): the overall limit
	// of each Mixpanel call, retries included; zero means none. The file
	// keeps the value as written.
	HTTPTimeout time.Duration
}
