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

// UpdateOptions are the inputs of `mp account update`.
type UpdateOptions struct {
	IO     *iostreams.IOStreams
	App    func() (*app.App, error)
	Format render.Format

	Name         string
	Region       string
	Project      string
	ClearProject bool
	Username     string
	SecretStdin  bool
	TokenEnv     string
	TokenStdin   bool
	// Set records which of the flags above were given.
	Set map[string]bool
}

// NewCmdUpdate returns `mp account update NAME …`.
func NewCmdUpdate(f *command.Factory, runF func(context.Context, *UpdateOptions) error) *cli.Command {
	return &cli.Command{
		Name:        "update",
		Usage:       "Change some fields of an account (only the given ones; the type never changes)",
		ArgsUsage:   "NAME",
		Description: "Secrets are never accepted as flag values: use --secret-stdin or --token-stdin.",
		Flags: command.LeafFlags(command.NoAxes,
			&cli.StringFlag{Name: flagRegion, Usage: "new region: us, eu or in"},
			&cli.StringFlag{Name: flagProject, Aliases: []string{"p"}, Usage: "new default project id"},
			&cli.BoolFlag{Name: flagClearProject, Usage: "remove the default project"},
			&cli.StringFlag{Name: flagUsername, Usage: "new service-account username"},
			&cli.BoolFlag{Name: flagSecretStdin, Usage: "read the new service-account secret from stdin"},
			&cli.StringFlag{Name: flagTokenEnv, Usage: "oauth_token: read the token from this environment variable at request time"},
			&cli.BoolFlag{Name: flagTokenStdin, Usage: "oauth_token: read the new token from stdin and store it"},
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
			opts := &UpdateOptions{
				IO: f.IO, App: f.App, Format: g.Format,
				Name:         args[0],
				Region:       c.String(flagRegion),
				Project:      c.String(flagProject),
				ClearProject: c.Bool(flagClearProject),
				Username:     c.String(flagUsername),
				SecretStdin:  c.Bool(flagSecretStdin),
				TokenEnv:     c.String(flagTokenEnv),
				TokenStdin:   c.Bool(flagTokenStdin),
				Set: setFlags(c, flagRegion, flagProject, flagClearProject, flagUsername,
					flagSecretStdin, flagTokenEnv, flagTokenStdin),
			}
			if runF != nil {
				return runF(c.Context, opts)
			}
			return updateRun(c.Context, opts)
		},
	}
}

func updateRun(ctx context.Context, opts *UpdateOptions) error {
	name, err := domain.ParseAccountName(opts.Name)
	if err != nil {
		return err
	}
	patch, err := buildPatch(ctx, opts)
	if err != nil {
		return err
	}
	a, err := opts.App()
	if err != nil {
		return err
	}
	s, err := a.Accounts.Update(ctx, name, patch)
	if err != nil {
		return err
	}
	msg := fmt.Sprintf("Updated account '%s' (%s, %s).", s.Name, s.Type, s.Region)
	return render.Outcome(opts.IO.Out, opts.Format, msg, s, recordColumns())
}

// buildPatch turns the given flags into a domain.AccountPatch, checked by
// app.CredentialInputs.CheckUpdate before anything is read from stdin.
// Which fields fit which account type is the domain's rule
// (AccountPatch.Apply).
func buildPatch(ctx context.Context, opts *UpdateOptions) (domain.AccountPatch, error) {
	var p domain.AccountPatch
	if opts.Set[flagRegion] {
		r, err := domain.ParseRegion(opts.Region)
		if err != nil {
			return p, command.FlagError("--region", err)
		}
		p.Region = &r
	}
	if opts.Set[flagProject] {
		id, err := domain.ParseProjectID(opts.Project)
		if err != nil {
			return p, command.FlagError("--project", err)
		}
		p.DefaultProject = &id
	}
	p.ClearProject = opts.ClearProject
	creds := credentialInputs(opts.Set, opts.Username, opts.SecretStdin, opts.TokenEnv, opts.TokenStdin)
	if err := creds.CheckUpdate(); err != nil {
		return p, err
	}
	p.Username, p.TokenEnv = creds.Username, creds.TokenEnv
	if opts.SecretStdin {
		s, err := readStdin(ctx, opts.IO, "secret", "--"+flagSecretStdin)
		if err != nil {
			return p, err
		}
		p.Secret = &s
	}
	if opts.TokenStdin {
		s, err := readStdin(ctx, opts.IO, "token", "--"+flagTokenStdin)
		if err != nil {
			return p, err
		}
		p.Token = &s
	}
	return p, nil
}
