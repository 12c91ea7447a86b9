package account

import (
	"context"
	"fmt"
	"slices"

	"github.com/urfave/cli/v2"

	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/cmd/internal/command"
	"github.com/mpdata/mp/cmd/internal/iostreams"
	"github.com/mpdata/mp/cmd/internal/render"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
)

// Flag names of `mp account add` and `mp account update`.
const (
	flagType         = "type"
	flagRegion       = "region"
	flagProject      = "project"
	flagClearProject = "clear-project"
	flagUsername     = "username"
	flagSecretStdin  = "secret-stdin"
	flagTokenEnv     = "token-env"
	flagTokenStdin   = "token-stdin"
)

// AddOptions are the inputs of `mp account add`, as given on the command
// line. The secret is not here: run gathers it from stdin, MP_SECRET or a
// hidden prompt.
type AddOptions struct {
	IO     *iostreams.IOStreams
	Env    ports.Env
	App    func() (*app.App, error)
	Format render.Format

	Name        string
	Type        string
	Region      string
	Project     string
	Username    string
	SecretStdin bool
	TokenEnv    string
	TokenStdin  bool
	// Set records which of the flags above were given.
	Set map[string]bool
}

// NewCmdAdd returns `mp account add NAME --type T …`.
func NewCmdAdd(f *command.Factory, runF func(context.Context, *AddOptions) error) *cli.Command {
	return &cli.Command{
		Name:      "add",
		Usage:     "Add an account (the first one becomes active)",
		ArgsUsage: "NAME",
		Description: "Secrets are never accepted as flag values. A service account's secret comes from\n" +
			"--secret-stdin, else $MP_SECRET, else a hidden prompt when stdin is a terminal.\n" +
			"An oauth_token account needs --token-env VAR (read at request time) or --token-stdin;\n" +
			"$MP_OAUTH_TOKEN is never captured.\n" +
			"Without --region, a service_account or oauth_token account is tried against us, eu and in\n" +
			"(GET /api/app/me, progress on stderr); the first region that accepts the credential is\n" +
			"saved. An oauth_browser account needs --region.",
		Flags: command.LeafFlags(command.NoAxes,
			&cli.StringFlag{Name: flagType, Usage: "account type: service_account, oauth_browser or oauth_token (required)"},
			&cli.StringFlag{Name: flagRegion, Usage: "region: us, eu or in (required for oauth_browser; probed us → eu → in via /me when omitted for the other types)"},
			&cli.StringFlag{Name: flagProject, Aliases: []string{"p"}, Usage: "default project id of the account"},
			&cli.StringFlag{Name: flagUsername, Usage: "service-account username"},
			&cli.BoolFlag{Name: flagSecretStdin, Usage: "read the service-account secret from stdin"},
			&cli.StringFlag{Name: flagTokenEnv, Usage: "oauth_token: name of the environment variable holding the token, read at request time"},
			&cli.BoolFlag{Name: flagTokenStdin, Usage: "oauth_token: read the token from stdin and store it"},
		),
		Action: func(c *cli.Context) error {
			g, err := f.ReadGlobals(c, command.NoAxes)
			if err != nil {
				return err
			}
			args, err := command.Args(c, 1, 1, "NAME")
			if err != nil {
				return err
			}
			opts := &AddOptions{
				IO: f.IO, Env: f.Env, App: f.App, Format: g.Format,
				Name:        args[0],
				Type:        c.String(flagType),
				Region:      c.String(flagRegion),
				Project:     c.String(flagProject),
				Username:    c.String(flagUsername),
				SecretStdin: c.Bool(flagSecretStdin),
				TokenEnv:    c.String(flagTokenEnv),
				TokenStdin:  c.Bool(flagTokenStdin),
				Set:         setFlags(c, flagType, flagRegion, flagProject, flagUsername, flagSecretStdin, flagTokenEnv, flagTokenStdin),
			}
			if runF != nil {
				return runF(c.Context, opts)
			}
			return addRun(c.Context, opts)
		},
	}
}

// setFlags returns which of names the command's own context set.
func setFlags(c *cli.Context, names ...string) map[string]bool {
	out := map[string]bool{}
	for _, n := range names {
		if c.IsSet(n) {
			out[n] = true
		}
	}
	return out
}

func addRun(ctx context.Context, opts *AddOptions) error {
	acct, err := buildAccount(ctx, opts)
	if err != nil {
		return err
	}
	a, err := opts.App()
	if err != nil {
		return err
	}
	if acct.Region == "" {
		if acct.Region, err = probeRegion(ctx, a, opts.IO, acct); err != nil {
			return err
		}
	}
	res, err := a.Accounts.Add(ctx, acct)
	if err != nil {
		return err
	}
	msg := fmt.Sprintf("Added account '%s' (%s, %s).", res.Account.Name, res.Account.Type, res.Account.Region)
	if res.Promoted {
		msg += " Set as active."
	}
	return render.Outcome(opts.IO.Out, opts.Format, msg, res, addColumns())
}

// addColumns are the fields of the outcome of `mp account add`.
func addColumns() []render.Column[app.AddAccountResult] {
	cols := render.Map(recordColumns(), func(r app.AddAccountResult) app.AccountSummary { return r.Account })
	return append(cols, render.Column[app.AddAccountResult]{
		Title: "PROMOTED", Key: "promoted", Value: func(r app.AddAccountResult) string { return render.Bool(r.Promoted) },
	})
}

// buildAccount turns the command line into a domain.Account, gathering the
// secret or token. It checks which flags fit which type so that a mistake
// is reported against the flag, before anything is read from stdin.
func buildAccount(ctx context.Context, opts *AddOptions) (domain.Account, error) {
	name, err := domain.ParseAccountName(opts.Name)
	if err != nil {
		return domain.Account{}, err
	}
	if opts.Type == "" {
		return domain.Account{}, command.Usagef("pass --type service_account, --type oauth_browser or --type oauth_token",
			"`mp account add` needs --type")
	}
	typ, err := domain.ParseAccountType(opts.Type)
	if err != nil {
		return domain.Account{}, command.FlagError("--type", err)
	}
	acct := domain.Account{Name: name, Type: typ}
	switch {
	case opts.Region != "":
		if acct.Region, err = domain.ParseRegion(opts.Region); err != nil {
			return domain.Account{}, command.FlagError("--region", err)
		}
	case typ == domain.TypeOAuthBrowser:
		// No credential to probe with: the region picks the login server.
		return domain.Account{}, command.Usagef("pass --region us, --region eu or --region in (the region whose server you log in to)",
			"`mp account add` needs --region for an oauth_browser account: there is no credential yet to probe the regions with")
	}
	// An empty region (service_account, oauth_token) is probed by addRun.
	if opts.Set[flagProject] {
		if acct.DefaultProject, err = domain.ParseProjectID(opts.Project); err != nil {
			return domain.Account{}, command.FlagError("--project", err)
		}
	}
	if err := checkTypeFlags(typ, opts.Set); err != nil {
		return domain.Account{}, err
	}
	switch typ {
	case domain.TypeServiceAccount:
		if opts.Username == "" {
			return domain.Account{}, command.Usagef("pass --username USER (the service account's username)",
				"a service account needs --username")
		}
		acct.Username = opts.Username
		if acct.Secret, err = serviceAccountSecret(ctx, opts); err != nil {
			return domain.Account{}, err
		}
	case domain.TypeOAuthToken:
		switch {
		case opts.Set[flagTokenEnv] && opts.TokenStdin:
			return domain.Account{}, command.Usagef("pass only one of them", "--token-env and --token-stdin cannot be used together")
		case opts.Set[flagTokenEnv]:
			if !domain.ValidEnvVarName(opts.TokenEnv) {
				return domain.Account{}, command.Usagef("use a name like MP_CI_TOKEN (letters, digits, _; not starting with a digit)",
					"flag --token-env: %q is not a valid environment variable name", opts.TokenEnv)
			}
			acct.TokenEnv = opts.TokenEnv
			if _, ok := opts.Env.LookupEnv(opts.TokenEnv); !ok {
				opts.IO.Notef("note: $%s is not set now; it is read each time a request is made.", opts.TokenEnv)
			}
		case opts.TokenStdin:
			tok, err := readStdin(ctx, opts.IO, "token", "--"+flagTokenStdin)
			if err != nil {
				return domain.Account{}, err
			}
			acct.Token = tok
		default:
			return domain.Account{}, command.Usagef("pass --token-env VAR (the variable is read at request time) or pipe the token to --token-stdin; MP_OAUTH_TOKEN is never captured",
				"an oauth_token account needs --token-env or --token-stdin")
		}
	}
	return acct, nil
}

// checkTypeFlags rejects credential flags that do not belong to typ.
func checkTypeFlags(typ domain.AccountType, set map[string]bool) error {
	allowed := map[domain.AccountType][]string{
		domain.TypeServiceAccount: {flagUsername, flagSecretStdin},
		domain.TypeOAuthToken:     {flagTokenEnv, flagTokenStdin},
		domain.TypeOAuthBrowser:   {},
	}
	for _, fl := range []string{flagUsername, flagSecretStdin, flagTokenEnv, flagTokenStdin} {
		if !set[fl] {
			continue
		}
		if !slices.Contains(allowed[typ], fl) {
			return command.Usagef(credentialHint(typ), "--%s does not apply to a %s account", fl, typ)
		}
	}
	return nil
}

func credentialHint(typ domain.AccountType) string {
	switch typ {
	case domain.TypeServiceAccount:
		return "a service account takes --username and its secret from --secret-stdin, MP_SECRET or a prompt"
	case domain.TypeOAuthToken:
		return "an oauth_token account takes --token-env VAR or --token-stdin"
	}
	return "an oauth_browser account keeps no credentials in the config; its tokens come from the browser login"
}

// serviceAccountSecret gathers the secret: --secret-stdin, else MP_SECRET,
// else a hidden prompt on a terminal, else a usage error.
func serviceAccountSecret(ctx context.Context, opts *AddOptions) (domain.Secret, error) {
	if opts.SecretStdin {
		return readStdin(ctx, opts.IO, "secret", "--"+flagSecretStdin)
	}
	if v, ok := opts.Env.LookupEnv(domain.EnvSecret); ok && v != "" {
		opts.IO.Notef("note: using the secret from $%s.", domain.EnvSecret)
		return domain.NewSecret(v), nil
	}
	if opts.IO.CanPrompt() {
		v, err := opts.IO.ReadSecret(ctx, fmt.Sprintf("Secret for service account '%s': ", opts.Name))
		if err != nil {
			return domain.Secret{}, fmt.Errorf("read the secret: %w", err)
		}
		if v == "" {
			return domain.Secret{}, command.Usagef("type the secret at the prompt, or pipe it to --secret-stdin", "no secret entered")
		}
		return domain.NewSecret(v), nil
	}
	return domain.Secret{}, command.Usagef("pipe it to --secret-stdin, or set MP_SECRET, or run on a terminal to be prompted",
		"a service account needs a secret and none was given")
}

// readStdin reads a secret from stdin for flag.
func readStdin(ctx context.Context, ios *iostreams.IOStreams, what, flag string) (domain.Secret, error) {
	v, err := ios.ReadAllStdin(ctx)
	if ctx.Err() != nil {
		return domain.Secret{}, ctx.Err()
	}
	if err != nil {
		return domain.Secret{}, command.FlagError(flag, err)
	}
	if v == "" {
		return domain.Secret{}, command.Usagef(fmt.Sprintf("pipe the %s to stdin, e.g. `printf '%%s' \"$VALUE\" | mp account … %s`", what, flag),
			"%s: stdin is empty, expected the %s", flag, what)
	}
	return domain.NewSecret(v), nil
}

// probeRegion finds the region that accepts acct's credential (us → eu →
// in), writing progress on stderr: one "Probing region R… STATUS" line per
// attempt, then "Found account in region R.".
func probeRegion(ctx context.Context, a *app.App, ios *iostreams.IOStreams, acct domain.Account) (domain.Region, error) {
	var tried int
	region, err := a.Accounts.ProbeRegion(ctx, acct, func(r domain.Region) {
		if tried > 0 {
			ios.Progressf(" 401\n") // the previous region refused the credential
		}
		tried++
		ios.Progressf("Probing region %s…", r)
	})
	if err != nil {
		if tried > 0 {
			ios.Progressf(" %s\n", probeStatus(err))
		}
		return "", err
	}
	if tried > 0 {
		ios.Progressf(" ok\n")
	}
	ios.Notef("Found account in region %s.", region)
	return region, nil
}

// probeStatus says how the last probe attempt ended, for the progress line.
func probeStatus(err error) string {
	switch domain.CodeOf(err) {
	case domain.CodeAuthFailed, domain.CodeRegionProbeFailed:
		return "401"
	case domain.CodePermissionDenied:
		return "403"
	case domain.CodeRateLimited:
		return "429"
	case domain.CodeServerError:
		return "server error"
	case domain.CodeNetworkUnreachable:
		return "unreachable"
	}
	return "failed"
}
