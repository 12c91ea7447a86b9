package account

import (
	"context"
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/cmd/internal/command"
	"github.com/mpdata/mp/cmd/internal/iostreams"
	"github.com/mpdata/mp/cmd/internal/render"
	"github.com/mpdata/mp/domain"
)

// LogoutOptions are the inputs of `mp account logout`.
type LogoutOptions struct {
	IO     *iostreams.IOStreams
	App    func() (*app.App, error)
	Format render.Format

	// Name is the oauth_browser account whose tokens are deleted.
	Name domain.AccountName
}

// NewCmdLogout returns `mp account logout NAME`.
func NewCmdLogout(f *command.Factory, runF func(context.Context, *LogoutOptions) error) *cli.Command {
	return &cli.Command{
		Name:      "logout",
		Usage:     "Delete an oauth_browser account's stored tokens (the account stays)",
		ArgsUsage: "NAME",
		Description: "Deletes accounts/NAME/tokens.json. The account keeps its settings; `mp account login NAME`\n" +
			"logs it in again. Prints `Logged out of 'NAME'.`, or `No tokens stored for 'NAME'.` when there\n" +
			"were none (exit 0 either way); --format json prints {account, removed}.",
		Flags: command.LeafFlags(command.NoAxes),
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
			opts := &LogoutOptions{IO: f.IO, App: f.App, Format: g.Format, Name: name}
			if runF != nil {
				return runF(c.Context, opts)
			}
			return logoutRun(c.Context, opts)
		},
	}
}

func logoutRun(ctx context.Context, opts *LogoutOptions) error {
	a, err := opts.App()
	if err != nil {
		return err
	}
	res, err := a.Accounts.Logout(ctx, opts.Name)
	if err != nil {
		return err
	}
	msg := fmt.Sprintf("No tokens stored for '%s'.", res.Account)
	if res.Removed {
		msg = fmt.Sprintf("Logged out of '%s'.", res.Account)
	}
	return render.Outcome(opts.IO.Out, opts.Format, msg, res, logoutColumns())
}

// logoutColumns are the fields of a LogoutResult.
func logoutColumns() []render.Column[app.LogoutResult] {
	return []render.Column[app.LogoutResult]{
		{Title: "ACCOUNT", Key: "account", Value: func(r app.LogoutResult) string { return r.Account }},
		{Title: "REMOVED", Key: "removed", Value: func(r app.LogoutResult) string { return render.Bool(r.Removed) }},
	}
}
