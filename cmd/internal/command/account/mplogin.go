package account

import (
	"context"

	"github.com/urfave/cli/v2"

	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/cmd/internal/command"
	"github.com/mpdata/mp/cmd/internal/iostreams"
	"github.com/mpdata/mp/cmd/internal/render"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
)

// Flag names of `mp login` (besides those shared with `mp account add`).
const (
	flagName           = "name"
	flagServiceAccount = "service-account"
)

// SetupLoginOptions are the inputs of the umbrella `mp login`, as given on
// the command line. The credential is not here: run picks the account
// type and gathers the secret (stdin, MP_SECRET or a hidden prompt).
type SetupLoginOptions struct {
	IO     *iostreams.IOStreams
	Env    ports.Env
	App    func() (*app.App, error)
	Format render.Format

	Name           string
	Region         string
	Project        string
	ServiceAccount bool
	Username       string
	TokenEnv       string
	SecretStdin    bool
	NoBrowser      bool
	// Set records which of the flags above were given.
	Set map[string]bool
}

// NewCmdSetupLogin returns the top-level `mp login`: one-step setup of an
// account of any type (docs/reference/cli.md).
func NewCmdSetupLogin(f *command.Factory, runF func(context.Context, *SetupLoginOptions) error) *cli.Command {
	return &cli.Command{
		Name:  "login",
		Usage: "Set up an account in one step: detect the credential, find the region and project, log in, make it active",
		Description: "The account type comes from, in order: --service-account (or --username/--secret-stdin);\n" +
			"--token-env VAR (an oauth_token account reading $VAR at request time); $MP_USERNAME with\n" +
			"$MP_SECRET (a service account); $MP_OAUTH_TOKEN (an oauth_token account with token_env\n" +
			"MP_OAUTH_TOKEN — the value itself is never stored); otherwise a browser login (OAuth with PKCE).\n" +
			"A service account's secret comes from --secret-stdin, else $MP_SECRET, else a hidden prompt.\n" +
			"\n" +
			"Region: --region, else, for a service account or a token, us → eu → in are tried with /me\n" +
			"(progress on stderr); a browser login uses us unless --region says otherwise.\n" +
			"Name: --name, else the first organisation in /me as a slug (acme-corp, acme-corp-2, …); an\n" +
			"existing account with the same credential (or, for the browser, the same user) is logged in\n" +
			"again instead. The type and region of an existing account never change: remove it first.\n" +
			"Project: --project (or $MP_PROJECT_ID) must be visible in /me; a single project is taken; with\n" +
			"several, a numbered list is shown on a terminal, otherwise the command fails listing them.\n" +
			"\n" +
			"The browser login works as in `mp account login` ($MP_BROWSER, --no-browser and the paste).\n" +
			"Prints one line `Logged in as EMAIL → ACCOUNT · PROJECT`; --format json prints the LoginResult.",
		Flags: command.LeafFlags(command.NoAxes,
			&cli.StringFlag{Name: flagName, Usage: "account name (default: derived from the first organisation, or the existing account)"},
			&cli.StringFlag{Name: flagRegion, Usage: "region: us, eu or in (default: probed for a service account or token; us for the browser)"},
			&cli.StringFlag{Name: flagProject, Aliases: []string{"p"}, Usage: "default project id (must be visible to the credential)"},
			&cli.BoolFlag{Name: flagServiceAccount, Usage: "set up a service account (username from --username or $MP_USERNAME)"},
			&cli.StringFlag{Name: flagUsername, Usage: "service-account username (implies --service-account)"},
			&cli.StringFlag{Name: flagTokenEnv, Usage: "set up an oauth_token account reading the token from this environment variable at request time"},
			&cli.BoolFlag{Name: flagSecretStdin, Usage: "read the service-account secret from stdin (implies --service-account)"},
			&cli.BoolFlag{Name: flagNoBrowser, Usage: noBrowserUsage},
		),
		Action: func(c *cli.Context) error {
			g, err := f.ReadGlobals(c, command.NoAxes)
			if err != nil {
				return err
			}
			if _, err := command.Args(c, 0, 0, ""); err != nil {
				return err
			}
			opts := &SetupLoginOptions{
				IO: f.IO, Env: f.Env, App: f.App, Format: g.Format,
				Name:           c.String(flagName),
				Region:         c.String(flagRegion),
				Project:        c.String(flagProject),
				ServiceAccount: c.Bool(flagServiceAccount),
				Username:       c.String(flagUsername),
				TokenEnv:       c.String(flagTokenEnv),
				SecretStdin:    c.Bool(flagSecretStdin),
				NoBrowser:      c.Bool(flagNoBrowser),
				Set: setFlags(c, flagName, flagRegion, flagProject, flagServiceAccount, flagUsername,
					flagTokenEnv, flagSecretStdin, flagNoBrowser),
			}
			if runF != nil {
				return runF(c.Context, opts)
			}
			return setupLoginRun(c.Context, opts)
		},
	}
}

func setupLoginRun(ctx context.Context, opts *SetupLoginOptions) error {
	// It shows its own progress (the region probe, the login's prompts).
	ctx = ports.WithoutProgress(ctx)
	in, err := buildLoginInput(ctx, opts)
	if err != nil {
		return err
	}
	a, err := opts.App()
	if err != nil {
		return err
	}
	ui := &loginUI{io: opts.IO, noBrowser: opts.NoBrowser}
	in.Options = loginOptions(ctx, opts.IO, ui, opts.NoBrowser, true)
	probe := &probeProgress{io: opts.IO}
	if in.Region == "" && in.Type != domain.TypeOAuthBrowser {
		in.Progress = probe.attempt
		// The probe has succeeded once the account's projects are offered:
		// its line ends before the list starts.
		if pick := in.Options.PickProject; pick != nil {
			in.Options.PickProject = func(ps []domain.Project) (domain.ProjectID, error) {
				probe.settle()
				return pick(ps)
			}
		}
	}
	res, err := a.Accounts.LoginAny(ctx, in)
	ui.done()
	probe.finish(res, err)
	if err != nil {
		return err
	}
	return writeLogin(opts.IO.Out, opts.Format, res)
}

// buildLoginInput maps the flags to an app.LoginInput: the app plans the
// login (type, username, token variable; app.Accounts.PlanLogin), then the
// service account's secret is gathered. Mistakes are reported against the
// flag before anything is read from stdin.
func buildLoginInput(ctx context.Context, opts *SetupLoginOptions) (app.LoginInput, error) {
	var in app.LoginInput
	var err error
	if opts.Set[flagName] {
		if in.Name, err = domain.ParseAccountName(opts.Name); err != nil {
			return in, command.FlagError("--"+flagName, err)
		}
	}
	if opts.Set[flagRegion] {
		if in.Region, err = domain.ParseRegion(opts.Region); err != nil {
			return in, command.FlagError("--"+flagRegion, err)
		}
	}
	if opts.Set[flagProject] {
		if in.Project, err = domain.ParseProjectID(opts.Project); err != nil {
			return in, command.FlagError("--"+flagProject, err)
		}
	}
	a, err := opts.App()
	if err != nil {
		return in, err
	}
	plan, err := a.Accounts.PlanLogin(app.LoginFlags{
		ServiceAccount: opts.ServiceAccount,
		Username:       opts.Username,
		UsernameSet:    opts.Set[flagUsername],
		SecretStdin:    opts.SecretStdin,
		TokenEnv:       opts.TokenEnv,
		TokenEnvSet:    opts.Set[flagTokenEnv],
		NoBrowser:      opts.NoBrowser,
	})
	if err != nil {
		return in, err
	}
	switch plan.Reason {
	case domain.LoginByEnvServiceAccount:
		opts.IO.Notef("note: setting up the service account of $%s and $%s.", domain.EnvUsername, domain.EnvSecret)
	case domain.LoginByEnvOAuthToken:
		opts.IO.Notef("note: using $%s; the account reads it at request time (its value is not stored).", domain.EnvOAuthToken)
	}
	in.Type, in.Username, in.TokenEnv = plan.Type, plan.Username, plan.TokenEnv
	if plan.Type == domain.TypeServiceAccount {
		in.ServiceAccount = true
		if in.Secret, err = loginSecret(ctx, opts); err != nil {
			return in, err
		}
	}
	return in, nil
}

// loginSecret gathers the service-account secret of `mp login`, as
// `mp account add` does.
func loginSecret(ctx context.Context, opts *SetupLoginOptions) (domain.Secret, error) {
	return serviceAccountSecret(ctx, &AddOptions{
		IO: opts.IO, Env: opts.Env, Name: opts.Username, SecretStdin: opts.SecretStdin,
	})
}

// probeProgress prints a region probe on stderr: "Probing region R…
// STATUS" per attempt, then "Found account in region R.".
type probeProgress struct {
	io      *iostreams.IOStreams
	tried   int
	region  domain.Region // the region probed last
	settled bool          // the last probe's line is complete
}

// step is the progress callback of app.Accounts.AddWithProbe.
func (p *probeProgress) step(st app.ProbeStep) {
	switch {
	case !st.Done:
		p.io.Progressf("Probing region %s…", st.Region)
	case st.Err != nil:
		p.io.Progressf(" %s\n", probeStatus(st.Err))
	default:
		p.io.Progressf(" ok\n")
		p.io.Notef("Found account in region %s.", st.Region)
	}
}

// attempt is the LoginInput.Progress callback of `mp login`: another
// region is tried, so the previous one refused the credential.
func (p *probeProgress) attempt(r domain.Region) {
	if p.tried > 0 {
		p.io.Progressf(" 401\n")
	}
	p.tried++
	p.region = r
	p.io.Progressf("Probing region %s…", r)
}

// settle ends the line of the probe that succeeded, before anything else
// is printed (the project list of `mp login`).
func (p *probeProgress) settle() {
	if p.tried == 0 || p.settled {
		return
	}
	p.settled = true
	p.io.Progressf(" ok\n")
	p.io.Notef("Found account in region %s.", p.region)
}

// finish completes the last progress line once LoginAny has returned.
func (p *probeProgress) finish(res app.LoginResult, err error) {
	if p.tried == 0 || p.settled {
		return
	}
	if err != nil && probeFailure(err) {
		p.io.Progressf(" %s\n", probeStatus(err))
		return
	}
	p.io.Progressf(" ok\n")
	if err == nil {
		p.io.Notef("Found account in region %s.", res.Region)
	}
}

// probeFailure reports whether err ended the region probe itself (rather
// than a later step such as the project choice).
func probeFailure(err error) bool {
	switch domain.CodeOf(err) {
	case domain.CodeAuthFailed, domain.CodeRegionProbeFailed, domain.CodePermissionDenied,
		domain.CodeRateLimited, domain.CodeServerError, domain.CodeNetworkUnreachable:
		return true
	}
	return false
}
