package account

import (
	"github.com/urfave/cli/v2"

	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/cmd/internal/command"
	"github.com/mpdata/mp/cmd/internal/render"
)

// NewCmd returns the `mp account` command group.
func NewCmd(f *command.Factory) *cli.Command {
	return &cli.Command{
		Name:   "account",
		Usage:  "Manage accounts (credentials bound to a region)",
		Action: command.UnknownCommand,
		Subcommands: []*cli.Command{
			NewCmdList(f, nil),
			NewCmdShow(f, nil),
			NewCmdAdd(f, nil),
			NewCmdUpdate(f, nil),
			NewCmdUse(f, nil),
			NewCmdRemove(f, nil),
			NewCmdTest(f, nil),
			NewCmdLogin(f, nil),
			NewCmdLogout(f, nil),
			NewCmdToken(f, nil),
			NewCmdExportBridge(f, nil), NewCmdRemoveBridge(f, nil),
			NewCmdMigrateSecrets(f, nil),
		},
	}
}

// listColumns are the columns of `mp account list`; the table shows NAME
// TYPE REGION PROJECT ACTIVE SECRETS (where the secrets live: config, env,
// keychain, exec or file).
func listColumns() []render.Column[app.AccountSummary] {
	return []render.Column[app.AccountSummary]{
		{Title: "NAME", Key: "name", Value: func(s app.AccountSummary) string { return s.Name }},
		{Title: "TYPE", Key: "type", Value: func(s app.AccountSummary) string { return s.Type }},
		{Title: "REGION", Key: "region", Value: func(s app.AccountSummary) string { return s.Region }},
		{
			Title: "PROJECT", Key: "default_project",
			Value: func(s app.AccountSummary) string { return render.Optional(s.DefaultProject) },
			Show:  func(s app.AccountSummary) string { return orDash(render.Optional(s.DefaultProject)) },
		},
		{
			Title: "ACTIVE", Key: "is_active",
			Value: func(s app.AccountSummary) string { return render.Bool(s.IsActive) },
			Show:  func(s app.AccountSummary) string { return activeMark(s.IsActive) },
		},
		{
			Title: "TARGETS", Key: "referenced_by_targets", Wide: true,
			Value: func(s app.AccountSummary) string { return render.Join(s.ReferencedByTargets) },
		},
		{
			Title: "SECRETS", Key: "secret_store",
			Value: func(s app.AccountSummary) string { return s.SecretStore },
		},
	}
}

// summaryJSON writes an AccountSummary as encoding/json does (its fields
// in order, ShadowedByBridge and Note omitted when empty), for lists of
// thousands of accounts (render.ListJSON).
func summaryJSON(e *render.JSONEncoder, s app.AccountSummary) {
	e.BeginObject()
	e.Field("name")
	e.String(s.Name)
	e.Field("type")
	e.String(s.Type)
	e.Field("region")
	e.String(s.Region)
	e.Field("default_project")
	e.OptionalString(s.DefaultProject)
	e.Field("is_active")
	e.Bool(s.IsActive)
	e.Field("referenced_by_targets")
	e.Strings(s.ReferencedByTargets)
	e.Field("secret_store")
	e.String(s.SecretStore)
	e.StringFieldOmitEmpty("shadowed_by_bridge", s.ShadowedByBridge)
	e.StringFieldOmitEmpty("note", s.Note)
	e.EndObject()
}

// recordColumns are the fields of one account (`mp account show` and the
// outcome of add, update and use).
func recordColumns() []render.Column[app.AccountSummary] {
	cols := listColumns()
	cols[4].Show = nil // "true"/"false" reads better than "*" on a line of its own
	return cols
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func activeMark(active bool) string {
	if active {
		return "*"
	}
	return ""
}
