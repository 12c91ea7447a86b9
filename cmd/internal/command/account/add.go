package account

import (
	"context"
	"errors"
	"fmt"
	"strings"

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
	flagNoVerify     = "no-verify"
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
	// NoVerify adds an account with a region without checking its
	// credentials first.
	NoVerify bool
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
			"saved. With --region the credential is checked there (one /me call) before anything is\n" +
			"written, unless --no-verify: a credential Mixpanel refuses is not added. An oauth_browser\n" +
			"account needs --region and is checked by `mp account login`.",
		Flags: command.LeafFlags(command.NoAxes,
			&cli.StringFlag{Name: flagType, Usage: "account type: service_account, oauth_browser or oauth_token (required)"},
			&cli.StringFlag{Name: flagRegion, Usage: "region: us, eu or in (required for oauth_browser; probed us → eu → in via /me when omitted for the other types)"},
			&cli.StringFlag{Name: flagProject, Aliases: []string{"p"}, Usage: "default project id of the account"},
			&cli.StringFlag{Name: flagUsername, Usage: "service-account username"},
			&cli.BoolFlag{Name: flagSecretStdin, Usage: "read the service-account secret from stdin"},
			&cli.StringFlag{Name: flagTokenEnv, Usage: "oauth_token: name of the environment variable holding the token, read at request time"},
			&cli.BoolFlag{Name: flagTokenStdin, Usage: "oauth_token: read the token from stdin and store it"},
			&cli.BoolFlag{Name: flagNoVerify, Usage: "with --region: add without checking the credential against Mixpanel (offline, or for later)"},
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
				NoVerify:    c.Bool(flagNoVerify),
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
	// It shows its own progress (the region probe, the login's prompts).
	ctx = ports.WithoutProgress(ctx)
	acct, err := buildAccount(ctx, opts)
	if err != nil {
		return err
	}
	a, err := opts.App()
	if err != nil {
		return err
	}
	checked, err := verify(ctx, opts, a, acct)
	if err != nil {
		return err
	}
	probe := &probeProgress{io: opts.IO}
	res, err := a.Accounts.AddWithProbe(ctx, acct, probe.step)
	if err != nil {
		return err
	}
	if checked != "" {
		opts.IO.Notef("%s", checked)
	}
	msg := fmt.Sprintf("Added account '%s' (%s, %s).", res.Account.Name, res.Account.Type, res.Account.Region)
	if res.Promoted {
		msg += " Set as active."
	}
	return render.Outcome(opts.IO.Out, opts.Format, msg, res, addColumns())
}

// verify checks the credential of an account added with a region (the
// region probe checks the others) unless --no-verify, and returns the note
// that says what was, or was not, checked ("" when the probe does it).
// A refused credential is an error: nothing is added.
func verify(ctx context.Context, opts *AddOptions, a *app.App, acct domain.Account) (string, error) {
	if acct.Region == "" {
		return "", nil // the region probe checks the credential
	}
	switch {
	case acct.Type == domain.TypeOAuthBrowser:
		return "", nil // nothing to check before the login
	case opts.NoVerify:
		return fmt.Sprintf("note: the credential was not checked (--no-verify): `mp account test %s` checks it.", acct.Name), nil
	case acct.TokenEnv != "":
		if _, set := opts.Env.LookupEnv(acct.TokenEnv); !set {
			return fmt.Sprintf("note: not checked: $%s is not set here; `mp account test %s` checks it once it is.", acct.TokenEnv, acct.Name), nil
		}
	}
	n, err := a.Accounts.Verify(ctx, acct)
	if err != nil {
		var de *domain.Error
		switch {
		case !errors.As(err, &de):
		case de.Code == domain.CodeAuthFailed:
			// Nothing was added: the hint cannot point at `account update`.
			what := "username and secret"
			if acct.Type == domain.TypeOAuthToken {
				what = "token"
			}
			de.Hint = fmt.Sprintf("check the %s and the region (a credential works only on its own region's cluster; this one was tried in %s), or leave out --region to try every region; --no-verify adds it unchecked", what, acct.Region)
		case de.Hint == "":
			de.Hint = "--no-verify adds it unchecked"
		default:
			de.Hint = strings.TrimSuffix(de.Hint, ".") + "; or --no-verify adds it unchecked"
		}
		return "", err
	}
	return fmt.Sprintf("note: checked: account '%s' sees %d %s in %s.", acct.Name, n, plural(n, "project"), acct.Region), nil
}

// plural is word, with an s unless n is 1.
func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// addColumns are the fields of the outcome of `mp account add`.
func addColumns() []render.Column[app.AddAccountResult] {
	cols := render.Map(recordColumns(), func(r app.AddAccountResult) app.AccountSummary { return r.Account })
	return append(cols, render.Column[app.AddAccountResult]{
		Title: "PROMOTED", Key: "promoted", Value: func(r app.AddAccountResult) string { return render.Bool(r.Promoted) },
	})
}

// buildAccount turns the command line into an app.AddAccountRequest,
// checks it (app's rules, before anything is read from stdin) and gathers
// the secret or token. An empty region is probed by AddWithProbe.
func buildAccount(ctx context.Context, opts *AddOptions) (domain.Account, error) {
	req, err := addRequest(opts)
	if err != nil {
		return domain.Account{}, err
	}
	if err := req.Check(); err != nil {
		return domain.Account{}, err
	}
	var secret, token domain.Secret
	switch {
	case req.Type == domain.TypeServiceAccount:
		if secret, err = serviceAccountSecret(ctx, opts); err != nil {
			return domain.Account{}, err
		}
	case req.Credentials.TokenStdin:
		if token, err = readStdin(ctx, opts.IO, "token", "--"+flagTokenStdin); err != nil {
			return domain.Account{}, err
		}
	case req.Credentials.TokenEnv != nil:
		if _, ok := opts.Env.LookupEnv(opts.TokenEnv); !ok {
			opts.IO.Notef("note: $%s is not set now; it is read each time a request is made.", opts.TokenEnv)
		}
	}
	return req.Account(secret, token), nil
}

// addRequest maps the flags of `mp account add` to an app.AddAccountRequest,
// parsing each value against its flag.
func addRequest(opts *AddOptions) (app.AddAccountRequest, error) {
	var req app.AddAccountRequest
	var err error
	if req.Name, err = domain.ParseAccountName(opts.Name); err != nil {
		return req, err
	}
	if opts.Type != "" {
		if req.Type, err = domain.ParseAccountType(opts.Type); err != nil {
			return req, command.FlagError("--type", err)
		}
	}
	if opts.Region != "" {
		if req.Region, err = domain.ParseRegion(opts.Region); err != nil {
			return req, command.FlagError("--region", err)
		}
	}
	if opts.Set[flagProject] {
		if req.DefaultProject, err = domain.ParseProjectID(opts.Project); err != nil {
			return req, command.FlagError("--project", err)
		}
	}
	req.Credentials = credentialInputs(opts.Set, opts.Username, opts.SecretStdin, opts.TokenEnv, opts.TokenStdin)
	return req, nil
}

// credentialInputs maps the credential flags of `mp account add` and
// `mp account update` to app.CredentialInputs.
func credentialInputs(set map[string]bool, username string, secretStdin bool, tokenEnv string, tokenStdin bool) app.CredentialInputs {
	c := app.CredentialInputs{SecretStdin: secretStdin, TokenStdin: tokenStdin}
	if set[flagUsername] {
		c.Username = &username
	}
	if set[flagTokenEnv] {
		c.TokenEnv = &tokenEnv
	}
	return c
}

// serviceAccountSecret gathers the secret from where
// domain.PickSecretSource says: --secret-stdin, else MP_SECRET, else a
// hidden prompt on a terminal.
func serviceAccountSecret(ctx context.Context, opts *AddOptions) (domain.Secret, error) {
	env, _ := opts.Env.LookupEnv(domain.EnvSecret)
	src, err := domain.PickSecretSource(opts.SecretStdin, env != "", opts.IO.CanPrompt())
	if err != nil {
		return domain.Secret{}, err
	}
	switch src {
	case domain.SecretFromStdin:
		return readStdin(ctx, opts.IO, "secret", "--"+flagSecretStdin)
	case domain.SecretFromEnv:
		opts.IO.Notef("note: using the secret from $%s.", domain.EnvSecret)
		return domain.NewSecret(env), nil
	}
	v, err := opts.IO.ReadSecret(ctx, fmt.Sprintf("Secret for service account '%s': ", opts.Name))
	if err != nil {
		return domain.Secret{}, fmt.Errorf("read the secret: %w", err)
	}
	if v == "" {
		return domain.Secret{}, command.Usagef("type the secret at the prompt, or pipe it to --secret-stdin", "no secret entered")
	}
	return domain.NewSecret(v), nil
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
