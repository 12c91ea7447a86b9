package app

import (
	"context"

	"go.uber.org/zap"

	"github.com/mpdata/mp/domain"
)

// CredentialInputs are the credential inputs of `mp account add` or
// `mp account update`, as given, before any secret is read. A nil pointer
// means the input was not given.
type CredentialInputs struct {
	// Username is --username (service_account).
	Username *string
	// SecretStdin is --secret-stdin: the caller reads the secret from stdin.
	SecretStdin bool
	// TokenEnv is --token-env (oauth_token): the name of the variable the
	// token is read from at request time.
	TokenEnv *string
	// TokenStdin is --token-stdin: the caller reads the token from stdin.
	TokenStdin bool
}

// CheckUpdate checks the credential inputs of an update before anything is
// read: a given username is not empty, a given token_env is a valid
// variable name, and at most one value comes from stdin. Which inputs fit
// which account type is domain.AccountPatch.Apply's rule. Errors are
// INVALID_ARGUMENT.
func (c CredentialInputs) CheckUpdate() error {
	if c.Username != nil && *c.Username == "" {
		return domain.NewError(domain.CodeInvalidArgument, "flag --username: the username must not be empty").
			WithHint("pass a non-empty --username")
	}
	if c.TokenEnv != nil {
		if err := domain.CheckTokenEnvName(*c.TokenEnv); err != nil {
			return err
		}
	}
	if c.SecretStdin && c.TokenStdin {
		return domain.NewError(domain.CodeInvalidArgument, "--secret-stdin and --token-stdin cannot be used together").
			WithHint("pass only one of them")
	}
	return nil
}

// AddAccountRequest is `mp account add` before its secret or token is
// read: the account's values and which credential inputs were given.
type AddAccountRequest struct {
	// Name is the new account's name.
	Name domain.AccountName
	// Type is the account type (required).
	Type domain.AccountType
	// Region is the account region; empty means probed (service_account,
	// oauth_token; see AddWithProbe). An oauth_browser account needs one.
	Region domain.Region
	// DefaultProject is the account's default project; zero for none.
	DefaultProject domain.ProjectID
	// Credentials are the credential inputs given.
	Credentials CredentialInputs
}

// Check applies the rules of `mp account add` that need no secret, so that
// a mistake is reported before anything is read from stdin: a type is
// given; an oauth_browser account has a region (there is no credential to
// probe with); only the credential inputs of the type are given; a service
// account has a username; an oauth_token account has exactly one of
// --token-env (a valid variable name) and --token-stdin. Errors are
// INVALID_ARGUMENT.
func (r AddAccountRequest) Check() error {
	if r.Type == "" {
		return domain.NewError(domain.CodeInvalidArgument, "`mp account add` needs --type").
			WithHint("pass --type service_account, --type oauth_browser or --type oauth_token")
	}
	if r.Region == "" && r.Type == domain.TypeOAuthBrowser {
		return domain.NewError(domain.CodeInvalidArgument,
			"`mp account add` needs --region for an oauth_browser account: there is no credential yet to probe the regions with").
			WithHint("pass --region us, --region eu or --region in (the region whose server you log in to)")
	}
	if err := r.checkTypeInputs(); err != nil {
		return err
	}
	c := r.Credentials
	switch r.Type {
	case domain.TypeServiceAccount:
		if c.Username == nil || *c.Username == "" {
			return domain.NewError(domain.CodeInvalidArgument, "a service account needs --username").
				WithHint("pass --username USER (the service account's username)")
		}
	case domain.TypeOAuthToken:
		switch {
		case c.TokenEnv != nil && c.TokenStdin:
			return domain.NewError(domain.CodeInvalidArgument, "--token-env and --token-stdin cannot be used together").
				WithHint("pass only one of them")
		case c.TokenEnv != nil:
			return domain.CheckTokenEnvName(*c.TokenEnv)
		case !c.TokenStdin:
			return domain.NewError(domain.CodeInvalidArgument, "an oauth_token account needs --token-env or --token-stdin").
				WithHint("pass --token-env VAR (the variable is read at request time) or pipe the token to --token-stdin; MP_OAUTH_TOKEN is never captured")
		}
	}
	return nil
}

// checkTypeInputs rejects credential inputs that do not belong to the type.
func (r AddAccountRequest) checkTypeInputs() error {
	c := r.Credentials
	given := []struct {
		flag string
		set  bool
		fits domain.AccountType
	}{
		{"username", c.Username != nil, domain.TypeServiceAccount},
		{"secret-stdin", c.SecretStdin, domain.TypeServiceAccount},
		{"token-env", c.TokenEnv != nil, domain.TypeOAuthToken},
		{"token-stdin", c.TokenStdin, domain.TypeOAuthToken},
	}
	for _, g := range given {
		if g.set && g.fits != r.Type {
			return domain.NewError(domain.CodeInvalidArgument, "--%s does not apply to a %s account", g.flag, r.Type).
				WithHint("%s", credentialHint(r.Type))
		}
	}
	return nil
}

// credentialHint says which credential inputs an account type takes.
func credentialHint(typ domain.AccountType) string {
	switch typ {
	case domain.TypeServiceAccount:
		return "a service account takes --username and its secret from --secret-stdin, MP_SECRET or a prompt"
	case domain.TypeOAuthToken:
		return "an oauth_token account takes --token-env VAR or --token-stdin"
	}
	return "an oauth_browser account keeps no credentials in the config; its tokens come from the browser login"
}

// Account returns the account r describes, with the secret (service
// account, from --secret-stdin, MP_SECRET or a prompt) or token (oauth_token
// with --token-stdin) the caller read; the other is ignored.
func (r AddAccountRequest) Account(secret, token domain.Secret) domain.Account {
	a := domain.Account{Name: r.Name, Type: r.Type, Region: r.Region, DefaultProject: r.DefaultProject}
	switch r.Type {
	case domain.TypeServiceAccount:
		if r.Credentials.Username != nil {
			a.Username = *r.Credentials.Username
		}
		a.Secret = secret
	case domain.TypeOAuthToken:
		if r.Credentials.TokenEnv != nil {
			a.TokenEnv = *r.Credentials.TokenEnv
		} else {
			a.Token = token
		}
	}
	return a
}

// ProbeStep is one report of AddWithProbe's region probe: each region is
// reported when its attempt starts (Done false) and when it ended (Done
// true; Err nil when the region accepted the credentials, else why not — an
// AUTH_FAILED error for a refusal (401), or the error that ended the
// probe).
type ProbeStep struct {
	// Region is the region tried.
	Region domain.Region
	// Done is false when the attempt starts, true when it ended.
	Done bool
	// Err is how a finished attempt failed; nil on success.
	Err error
}

// AddWithProbe adds a fully built account like Add; when a.Region is empty
// it first finds the region (ProbeRegion: us → eu → in via /me, for
// service_account and oauth_token accounts), reporting each attempt to
// progress (when not nil), and adds the account in the region found, with
// the /me answer cached. A failed probe adds nothing and returns the
// probe's error (REGION_PROBE_FAILED when every region refused).
func (s *Accounts) AddWithProbe(ctx context.Context, a domain.Account, progress func(ProbeStep)) (AddAccountResult, error) {
	if a.Region != "" {
		return s.Add(ctx, a)
	}
	report := func(st ProbeStep) {
		if progress != nil {
			progress(st)
		}
	}
	var tried []domain.Region
	region, err := s.ProbeRegion(ctx, a, func(r domain.Region) {
		if n := len(tried); n > 0 {
			// Only a refusal (401) moves the probe on to the next region.
			report(ProbeStep{Region: tried[n-1], Done: true, Err: refusedIn(tried[n-1])})
		}
		tried = append(tried, r)
		report(ProbeStep{Region: r})
	})
	if n := len(tried); n > 0 {
		last := ProbeStep{Region: tried[n-1], Done: true}
		switch {
		case domain.CodeOf(err) == domain.CodeRegionProbeFailed:
			last.Err = refusedIn(tried[n-1])
		case err != nil:
			last.Err = err
		}
		report(last)
	}
	if err != nil {
		return AddAccountResult{}, err
	}
	s.log.Debug("adding the probed account", zap.String("account", string(a.Name)), zap.String("region", string(region)),
		zap.Int("attempts", len(tried)))
	a.Region = region
	return s.Add(ctx, a)
}

// refusedIn is the error of a probe attempt whose region refused the
// credentials (401).
func refusedIn(r domain.Region) error {
	return domain.NewError(domain.CodeAuthFailed, "region %s refused the credentials (401)", r).
		WithDetail("region", string(r))
}
