package account

import (
	"context"
	"io"
	"time"

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
	// Format is the output format: table prints the token alone.
	Format render.Format
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
			"hint to run `mp account login NAME`. --format json (or jsonl, csv, plain) prints\n" +
			"{account, token, expires_at} instead (expires_at null for a static token), and errors as JSON.",
		Flags: command.LeafFlagsRaw(axes),
		Action: func(c *cli.Context) error {
			g, err := f.ReadGlobals(c, axes)
			if err != nil {
				return err
			}
			args, err := command.Args(c, 0, 1, "[NAME]")
			if err != nil {
				return err
			}
			opts := &TokenOptions{IO: f.IO, App: f.App, Selection: g.Selection, Format: g.Format}
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
	b, err := a.Accounts.Bearer(ctx, opts.Selection, opts.Name)
	if err != nil {
		return err
	}
	// The one place the CLI reveals a credential: printing it is what the
	// command is for.
	if opts.Format == render.Table {
		_, err = io.WriteString(opts.IO.Out, b.Token.Reveal()+"\n")
		return err
	}
	out := tokenJSON{Account: string(b.Account), Token: b.Token.Reveal()}
	if !b.ExpiresAt.IsZero() {
		at := b.ExpiresAt.UTC().Format(time.RFC3339)
		out.ExpiresAt = &at
	}
	return render.Record(opts.IO.Out, opts.Format, out, tokenColumns())
}

// tokenJSON is the record `mp account token --format json` prints.
type tokenJSON struct {
	Account   string  `json:"account"`
	Token     string  `json:"token"`
	ExpiresAt *string `json:"expires_at"`
}

// tokenColumns are the fields of a tokenJSON for csv and plain.
func tokenColumns() []render.Column[tokenJSON] {
	return []render.Column[tokenJSON]{
		{Title: "ACCOUNT", Key: "account", Value: func(t tokenJSON) string { return t.Account }},
		{Title: "TOKEN", Key: "token", Value: func(t tokenJSON) string { return t.Token }},
		{Title: "EXPIRES AT", Key: "expires_at", Value: func(t tokenJSON) string {
			if t.ExpiresAt == nil {
				return ""
			}
			return *t.ExpiresAt
		}},
	}
}
