package account

import (
	"context"
	"io"

	"github.com/urfave/cli/v2"

	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/cmd/internal/command"
	"github.com/mpdata/mp/cmd/internal/iostreams"
	"github.com/mpdata/mp/cmd/internal/render"
	"github.com/mpdata/mp/domain"
)

// TokenOptions are the inputs of `mp account token`.
type TokenOptions struct {
	IO        *iostreams.IOStreams
	App       func() (*app.App, error)
	Selection domain.Selection
	// Name is the account; empty: the one the resolver picks (--account,
	// --target, $MP_ACCOUNT, the active account).
	Name domain.AccountName
}

// NewCmdToken returns `mp account token [NAME]`.
func NewCmdToken(f *command.Factory, runF func(context.Context, *TokenOptions) error) *cli.Command {
	const axes = command.AccountAxes
	return &cli.Command{
		Name:      "token",
		Usage:     "Print an account's bearer token (refreshed first when it is about to expire)",
		ArgsUsage: "[NAME]",
		Description: "Prints the access token and a newline on stdout — nothing else — for use in scripts, e.g.\n" +
			"curl -H \"Authorization: Bearer $(mp account token)\" …. An oauth_browser account's token is\n" +
			"refreshed first when it expires within 30 seconds (one refresh even when many mp processes ask at\n" +
			"once); an oauth_token account prints its stored token or the value of its token_env variable.\n" +
			"A service account has no bearer (it uses Basic auth): exit 1. A revoked login exits 2 with a\n" +
			"hint to run `mp account login NAME`. There is no --format: the token is printed raw.",
		Flags: command.LeafFlagsRaw(axes),
		Action: func(c *cli.Context) error {
			g, err := f.ReadGlobals(c, axes)
			if err != nil {
				return err
			}
			if g.Format != render.Table { // --format given before `token`
				return command.Usagef("drop --format; the token is printed raw",
					"`mp account token` prints the token alone; --format does not apply")
			}
			args, err := command.Args(c, 0, 1, "[NAME]")
			if err != nil {
				return err
			}
			opts := &TokenOptions{IO: f.IO, App: f.App, Selection: g.Selection}
			if len(args) == 1 {
				if opts.Name, err = domain.ParseAccountName(args[0]); err != nil {
					return err
				}
				if !g.Selection.IsZero() {
					return command.Usagef("pass either NAME or --account/--target, not both",
						"`%s` got both the account NAME %q and a selection flag", command.CommandPath(c), args[0])
				}
			}
			if runF != nil {
				return runF(c.Context, opts)
			}
			return tokenRun(c.Context, opts)
		},
	}
}

func tokenRun(ctx context.Context, opts *TokenOptions) error {
	a, err := opts.App()
	if err != nil {
		return err
	}
	tok, err := a.Accounts.Token(ctx, opts.Selection, opts.Name)
	if err != nil {
		return err
	}
	// The one place the CLI reveals a credential: printing it is what the
	// command is for.
	_, err = io.WriteString(opts.IO.Out, tok.Reveal()+"\n")
	return err
}
