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

// LoginOptions are the inputs of `mp account login`.
type LoginOptions struct {
	IO     *iostreams.IOStreams
	App    func() (*app.App, error)
	Format render.Format

	// Name is the oauth_browser account to log in.
	Name domain.AccountName
	// NoBrowser: print the URL and accept a pasted redirect URL on stdin.
	NoBrowser bool
}

// NewCmdLogin returns `mp account login NAME [--no-browser]`.
func NewCmdLogin(f *command.Factory, runF func(context.Context, *LoginOptions) error) *cli.Command {
	return &cli.Command{
		Name:      "login",
		Usage:     "Log an oauth_browser account in through the browser (OAuth with PKCE)",
		ArgsUsage: "NAME",
		Description: "Opens the authorize page of the account's region in the browser ($MP_BROWSER, when set, is the\n" +
			"command to run with the URL as its last argument) and waits up to 5 minutes for the redirect to\n" +
			"http://localhost:PORT/callback (ports 19284–19287). The URL is printed on stderr when no browser\n" +
			"could be opened, with --no-browser, or when the session looks headless (no DISPLAY, or SSH).\n" +
			"With --no-browser, paste the address the browser ends on (or its code=…&state=… part) on stdin.\n" +
			"The new tokens are checked with /me before anything is saved to accounts/NAME/tokens.json; an\n" +
			"account without a default project gets one (its only project, else the smallest id).\n" +
			"Prints one line `Logged in as EMAIL → ACCOUNT · PROJECT`, or the LoginResult with --format json:\n" +
			"account, type, region, user {id, email}, project {id, name} | null, expires_at, created, active.",
		Flags: command.LeafFlags(command.NoAxes,
			&cli.BoolFlag{Name: flagNoBrowser, Usage: noBrowserUsage},
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
			name, err := domain.ParseAccountName(args[0])
			if err != nil {
				return err
			}
			opts := &LoginOptions{IO: f.IO, App: f.App, Format: g.Format, Name: name, NoBrowser: c.Bool(flagNoBrowser)}
			if runF != nil {
				return runF(c.Context, opts)
			}
			return loginRun(c.Context, opts)
		},
	}
}

func loginRun(ctx context.Context, opts *LoginOptions) error {
	// It shows its own progress (the region probe, the login's prompts).
	ctx = ports.WithoutProgress(ctx)
	a, err := opts.App()
	if err != nil {
		return err
	}
	ui := &loginUI{io: opts.IO, noBrowser: opts.NoBrowser}
	// No interactive picker here: docs/reference/oauth.md backfills the smallest
	// project id; `mp login` is the command that asks.
	res, err := a.Accounts.Login(ctx, opts.Name, loginOptions(ctx, opts.IO, ui, opts.NoBrowser, false))
	ui.done()
	if err != nil {
		return err
	}
	return writeLogin(opts.IO.Out, opts.Format, res)
}
