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
			"moves and [settings] secret_backend is set, so that new secrets follow (MP_SECRET_BACKEND,\n" +
			"when set, still wins). --to keychain first checks that the keychain answers. The secrets\n" +
			"of a bridge file stay in it.",
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
	opts.IO.Notef("Moved the secrets of %d account(s) to the %s backend.%s", moved, to, newSecretsNote(res))
	if len(res.Refused) > 0 {
		opts.IO.Notef("Too large for the %s backend, left where they were: %s.%s", to, strings.Join(res.Refused, ", "),
			map[bool]string{true: " [settings] secret_backend is unchanged.", false: ""}[name == ""])
	}
	if b := res.Bridge; b != nil {
		opts.IO.Notef("The bridge file %s (account '%s') is not migrated: its secrets stay in that file.", b.Path, b.Account)
	}
	return nil
}

// newSecretsNote says, after a migration that set [settings]
// secret_backend, where new secrets go: there too, or — when
// MP_SECRET_BACKEND names another backend — still where it says.
func newSecretsNote(res app.MigrateResult) string {
	if !res.BackendSet {
		return ""
	}
	set := fmt.Sprintf("[settings] secret_backend = %q", res.To)
	switch {
	case !res.Overridden:
		return fmt.Sprintf(" New secrets go there too (%s).", set)
	case res.NewSecrets == res.To:
		return fmt.Sprintf(" New secrets go there too (%s, and %s=%s).", set, envSecretBackend, res.NewSecrets)
	}
	return fmt.Sprintf(" %s is set, but %s=%s overrides it: new secrets still go to the %s backend while that variable is set.",
		set, envSecretBackend, res.NewSecrets, res.NewSecrets)
}

// envSecretBackend is the variable that overrides [settings]
// secret_backend (the only explicit choice the command line has).
const envSecretBackend = "MP_SECRET_BACKEND"

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
