package account

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/cmd/internal/command"
	"github.com/mpdata/mp/cmd/internal/iostreams"
	"github.com/mpdata/mp/cmd/internal/render"
	"github.com/mpdata/mp/domain"
)

const (
	flagMigrateTo      = "to"
	flagMigrateAccount = "account"
)

// MigrateOptions are the inputs of `mp account migrate-secrets`.
type MigrateOptions struct {
	IO      *iostreams.IOStreams
	App     func() (*app.App, error)
	Format  render.Format
	To      string
	Account string
}

// NewCmdMigrateSecrets returns `mp account migrate-secrets --to
// keychain|file [--account NAME]`.
func NewCmdMigrateSecrets(f *command.Factory, runF func(context.Context, *MigrateOptions) error) *cli.Command {
	return &cli.Command{
		Name:  "migrate-secrets",
		Usage: "Move secrets and OAuth tokens between the file backend and the OS keychain",
		Description: "Each account moves on its own: the secret is copied, read back and compared, the config\n" +
			"switches over, and only then is the old copy deleted. Without --account every account\n" +
			"moves and [settings] secret_backend is set, so that new secrets follow.",
		Flags: command.LeafFlags(command.NoAxes,
			&cli.StringFlag{Name: flagMigrateTo, Usage: "the backend to move to: keychain or file (required)"},
			&cli.StringFlag{Name: flagMigrateAccount, Usage: "move only this account"},
		),
		Action: func(c *cli.Context) error {
			g, err := f.ReadGlobals(c, command.NoAxes)
			if err != nil {
				return err
			}
			if _, err := command.Args(c, 0, 0, ""); err != nil {
				return err
			}
			opts := &MigrateOptions{IO: f.IO, App: f.App, Format: g.Format, To: c.String(flagMigrateTo), Account: c.String(flagMigrateAccount)}
			if runF != nil {
				return runF(c.Context, opts)
			}
			return migrateRun(c.Context, opts)
		},
	}
}

func migrateColumns() []render.Column[app.MigratedAccount] {
	return []render.Column[app.MigratedAccount]{
		{Title: "NAME", Key: "account", Value: func(m app.MigratedAccount) string { return m.Account }},
		{Title: "TYPE", Key: "type", Value: func(m app.MigratedAccount) string { return m.Type }},
		{Title: "FROM", Key: "from", Value: func(m app.MigratedAccount) string { return m.From }},
		{Title: "MOVED", Key: "moved", Value: func(m app.MigratedAccount) string { return render.Bool(m.Moved) }},
		{Title: "NOTE", Key: "note", Value: func(m app.MigratedAccount) string { return m.Note }},
	}
}

func migrateRun(ctx context.Context, opts *MigrateOptions) error {
	to, err := domain.ParseSecretBackend(opts.To)
	if err != nil || opts.To == "" {
		return command.Usagef("pass --to keychain or --to file", "invalid --to %q: must be keychain or file", opts.To)
	}
	var name domain.AccountName
	if opts.Account != "" {
		if name, err = domain.ParseAccountName(opts.Account); err != nil {
			return err
		}
	}
	a, err := opts.App()
	if err != nil {
		return err
	}
	res, err := a.Accounts.MigrateSecrets(ctx, to, name)
	if len(res.Accounts) > 0 && opts.Format != render.JSON {
		if rerr := render.List(opts.IO.Out, opts.Format, res.Accounts, migrateColumns()); rerr != nil && err == nil {
			err = rerr
		}
	}
	if err != nil {
		if opts.Format == render.JSON {
			return withMigrateResult(err, res)
		}
		return err
	}
	if opts.Format == render.JSON {
		return render.WriteJSON(opts.IO.Out, res)
	}
	moved := 0
	for _, m := range res.Accounts {
		if m.Moved {
			moved++
		}
	}
	msg := fmt.Sprintf("Moved the secrets of %d account(s) to the %s backend.", moved, to)
	if res.BackendSet {
		msg += fmt.Sprintf(" New secrets go there too ([settings] secret_backend = %q).", string(to))
	}
	opts.IO.Notef("%s", msg)
	if len(res.Refused) > 0 {
		opts.IO.Notef("Too large for the %s backend, left where they were: %s.%s", to, strings.Join(res.Refused, ", "),
			map[bool]string{true: " [settings] secret_backend is unchanged.", false: ""}[name == ""])
	}
	return nil
}

// withMigrateResult puts the partial result of a failed migration (the
// accounts handled before the failure) into the error's details, so that
// --format json reports it with the error.
func withMigrateResult(err error, res app.MigrateResult) error {
	var de *domain.Error
	if !errors.As(err, &de) || len(res.Accounts) == 0 {
		return err
	}
	raw, merr := json.Marshal(res)
	if merr != nil {
		return err
	}
	out := *de
	out.Details = maps.Clone(de.Details)
	return out.WithDetail("result", json.RawMessage(raw))
}
