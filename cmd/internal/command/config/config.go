package config

import (
	"context"
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/cmd/internal/command"
	"github.com/mpdata/mp/cmd/internal/iostreams"
	"github.com/mpdata/mp/cmd/internal/render"
	"github.com/mpdata/mp/domain"
)

// NewCmd returns the `mp config` command group.
func NewCmd(f *command.Factory) *cli.Command {
	return &cli.Command{
		Name:        "config",
		Usage:       "Work on the config file as a whole",
		Action:      command.UnknownCommand,
		Subcommands: []*cli.Command{NewCmdMigrate(f, nil)},
	}
}

// MigrateOptions are the inputs of `mp config migrate`.
type MigrateOptions struct {
	IO     *iostreams.IOStreams
	App    func() (*app.App, error)
	Format render.Format
	DryRun bool
}

// NewCmdMigrate returns `mp config migrate [--dry-run]`.
func NewCmdMigrate(f *command.Factory, runF func(context.Context, *MigrateOptions) error) *cli.Command {
	const axes = command.NoAxes
	return &cli.Command{
		Name:  "migrate",
		Usage: "Convert a 0.3.x config file (mixpanel_data) to the current format, keeping a backup",
		Description: "Every account of [credentials.*] or [accounts.*] keeps its name, credentials, region and\n" +
			"project (as its default_project); the top-level default account becomes the active one,\n" +
			"with its workspace_id as the active workspace; other top-level tables are kept. The old\n" +
			"file is saved first as config.toml.v03.bak (mode 0600). A part that cannot be converted\n" +
			"(a [projects.*] entry without credentials, an account without a region …) is listed and\n" +
			"nothing changes. --dry-run shows what would be done and writes nothing.",
		Flags: command.LeafFlags(axes, &cli.BoolFlag{Name: "dry-run", Usage: "show what would be converted; write nothing"}),
		Action: func(c *cli.Context) error {
			g, err := f.ReadGlobals(c, axes)
			if err != nil {
				return err
			}
			if _, err := command.Args(c, 0, 0, ""); err != nil {
				return err
			}
			opts := &MigrateOptions{IO: f.IO, App: f.App, Format: g.Format, DryRun: c.Bool("dry-run")}
			if runF != nil {
				return runF(c.Context, opts)
			}
			return migrateRun(c.Context, opts)
		},
	}
}

func migrateRun(ctx context.Context, opts *MigrateOptions) error {
	a, err := opts.App()
	if err != nil {
		return err
	}
	r, err := a.Config.MigrateLegacy(ctx, opts.DryRun)
	if err != nil {
		return err
	}
	switch opts.Format {
	case render.JSON:
		return render.WriteJSON(opts.IO.Out, r)
	case render.Table:
	default:
		return render.List(opts.IO.Out, opts.Format, r.Accounts, columns())
	}
	verb := "Converted"
	if r.DryRun {
		verb = "Would convert"
	}
	var b strings.Builder
	for _, m := range r.Accounts {
		fmt.Fprintf(&b, "%s %s → account '%s' (%s, %s", verb, m.Table, m.Name, m.Type, m.Region)
		if m.DefaultProject != "" {
			fmt.Fprintf(&b, ", project %s", m.DefaultProject)
		}
		b.WriteString(")")
		if m.Active {
			b.WriteString(", active")
			if r.Workspace != 0 {
				fmt.Fprintf(&b, " with workspace %d", r.Workspace)
			}
		}
		b.WriteString(".\n")
	}
	if r.DryRun {
		fmt.Fprintf(&b, "Dry run: nothing written. Without --dry-run, %s is saved as %s and rewritten.\n", r.File, r.Backup)
	} else {
		fmt.Fprintf(&b, "Saved the 0.3.x file as %s and wrote %s.\n", r.Backup, r.File)
		opts.IO.Notef("note: %s holds the old file's secrets (mode 0600); delete it once the migrated config works: rm %s", r.Backup, r.Backup)
	}
	_, err = fmt.Fprint(opts.IO.Out, b.String())
	return err
}

// columns are the fields of a converted account in list formats.
func columns() []render.Column[domain.MigratedAccount] {
	return []render.Column[domain.MigratedAccount]{
		{Title: "FROM", Key: "from", Value: func(m domain.MigratedAccount) string { return m.Table }},
		{Title: "ACCOUNT", Key: "account", Value: func(m domain.MigratedAccount) string { return m.Name }},
		{Title: "TYPE", Key: "type", Value: func(m domain.MigratedAccount) string { return m.Type }},
		{Title: "REGION", Key: "region", Value: func(m domain.MigratedAccount) string { return m.Region }},
		{Title: "PROJECT", Key: "default_project", Value: func(m domain.MigratedAccount) string { return m.DefaultProject }},
		{Title: "TOKEN ENV", Key: "token_env", Value: func(m domain.MigratedAccount) string { return m.TokenEnv }, Wide: true},
		{Title: "ACTIVE", Key: "active", Value: func(m domain.MigratedAccount) string { return render.Bool(m.Active) }},
	}
}
