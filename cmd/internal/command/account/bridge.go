package account

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/cmd/internal/command"
	"github.com/mpdata/mp/cmd/internal/iostreams"
	"github.com/mpdata/mp/cmd/internal/render"
	"github.com/mpdata/mp/domain"
)

const (
	flagTo = "to"
	flagAt = "at"
)

// exportAxes: export-bridge takes --account, --project and --workspace
// (no --target: the three values are what the bridge pins).
const exportAxes = command.AxisAccount | command.AxisProject | command.AxisWorkspace

// ExportBridgeOptions are the inputs of `mp account export-bridge`.
type ExportBridgeOptions struct {
	IO      *iostreams.IOStreams
	App     func() (*app.App, error)
	Format  render.Format
	Request app.BridgeExport
}

// NewCmdExportBridge returns `mp account export-bridge --to PATH
// [--account NAME] [--project ID] [--workspace ID]`.
func NewCmdExportBridge(f *command.Factory, runF func(context.Context, *ExportBridgeOptions) error) *cli.Command {
	return &cli.Command{
		Name:  "export-bridge",
		Usage: "Write a bridge file that lets another machine (a VM, a container, CI) act as one account",
		Description: "The bridge holds the account with its secrets (and an oauth_browser account's tokens),\n" +
			"the project and workspace given here, and [settings].custom_header as a header. It is\n" +
			"written atomically with mode 0600 (missing directories 0700). --to is required: there\n" +
			"is no default, so that a bridge never lands in a checkout by accident. Without\n" +
			"--account the account is resolved as usual (MP_ACCOUNT, the bridge, the active account).\n" +
			"An oauth_token account with token_env is exported with token_env: the other machine\n" +
			"must set that variable (mp never copies an environment secret into a file).\n" +
			"On the other machine mp finds the bridge at $MP_AUTH_FILE, ~/.claude/mixpanel/auth.json\n" +
			"or ./mixpanel_auth.json. Those are the places mp looks on this machine too: a bridge\n" +
			"written to one of them here is in effect here and outranks [active] (export-bridge\n" +
			"warns). Write it elsewhere (--to ~/vm-auth.json) and copy it to the other machine.",
		Flags: command.LeafFlags(exportAxes,
			&cli.StringFlag{Name: flagTo, Usage: "path of the bridge file to write (required), e.g. ~/vm-auth.json, then copied to the other machine"},
		),
		Action: func(c *cli.Context) error {
			g, err := f.ReadGlobals(c, exportAxes)
			if err != nil {
				return err
			}
			if _, err := command.Args(c, 0, 0, ""); err != nil {
				return err
			}
			to := c.String(flagTo)
			if to == "" {
				return domain.NewError(domain.CodeInvalidArgument, "export-bridge needs --to PATH").
					WithDetail("flag", "--"+flagTo).
					WithHint("pass --to PATH, e.g. --to ~/vm-auth.json, and copy the file to ~/.claude/mixpanel/auth.json on the other machine (there is no default: a bridge in the current directory could end up in a repository)")
			}
			if to, err = filepath.Abs(to); err != nil {
				return fmt.Errorf("--to: %w", err)
			}
			opts := &ExportBridgeOptions{
				IO: f.IO, App: f.App, Format: g.Format,
				Request: app.BridgeExport{To: to, Account: g.Selection.Account, Project: g.Selection.Project, Workspace: g.Selection.Workspace},
			}
			if runF != nil {
				return runF(c.Context, opts)
			}
			return exportBridgeRun(c.Context, opts)
		},
	}
}

func exportColumns() []render.Column[app.BridgeExportResult] {
	type col = render.Column[app.BridgeExportResult]
	return []col{
		{Title: "PATH", Key: "path", Value: func(r app.BridgeExportResult) string { return r.Path }},
		{Title: "ACCOUNT", Key: "account", Value: func(r app.BridgeExportResult) string { return r.Account }},
		{Title: "TYPE", Key: "type", Value: func(r app.BridgeExportResult) string { return r.Type }},
		{Title: "REGION", Key: "region", Value: func(r app.BridgeExportResult) string { return r.Region }},
		{Title: "PROJECT", Key: "project", Value: func(r app.BridgeExportResult) string { return render.Optional(r.Project) }},
		{Title: "WORKSPACE", Key: "workspace", Value: func(r app.BridgeExportResult) string { return render.OptionalInt(r.Workspace) }},
		{Title: "HEADERS", Key: "headers", Value: func(r app.BridgeExportResult) string { return render.Join(r.Headers) }},
		{Title: "TOKENS", Key: "tokens_included", Value: func(r app.BridgeExportResult) string { return render.Bool(r.TokensIncluded) }},
		{Title: "REFRESH", Key: "refresh_capable", Value: func(r app.BridgeExportResult) string { return render.Bool(r.RefreshCapable) }},
		{Title: "TOKEN ENV", Key: "token_env", Value: func(r app.BridgeExportResult) string { return r.TokenEnv }},
	}
}

func exportBridgeRun(ctx context.Context, opts *ExportBridgeOptions) error {
	a, err := opts.App()
	if err != nil {
		return err
	}
	res, err := a.Accounts.ExportBridge(ctx, opts.Request)
	if err != nil {
		return err
	}
	lines := []string{
		"Wrote bridge: " + res.Path,
		fmt.Sprintf("Account: %s (%s, %s)", res.Account, res.Type, res.Region),
	}
	switch {
	case res.TokensIncluded && res.RefreshCapable:
		lines = append(lines, "Tokens: included (refresh-capable)")
	case res.TokensIncluded:
		lines = append(lines, "Tokens: included (no refresh token: the bridge stops working when the access token expires)")
	}
	if res.Project != nil {
		p := "Project: " + *res.Project
		if res.Workspace != nil {
			p += ", workspace " + strconv.FormatInt(*res.Workspace, 10)
		}
		lines = append(lines, p)
	} else if res.Workspace != nil {
		lines = append(lines, "Workspace: "+strconv.FormatInt(*res.Workspace, 10))
	}
	if len(res.Headers) > 0 {
		lines = append(lines, "Headers: "+strings.Join(res.Headers, ", "))
	}
	if res.TokenEnv != "" {
		opts.IO.Notef("The bridge reads the token from $%s: set it on the machine that uses the bridge.", res.TokenEnv)
	}
	if res.Warning != "" {
		opts.IO.Warnf("%s", res.Warning)
	}
	if res.InEffectWarning != "" {
		opts.IO.Warnf("%s", res.InEffectWarning)
	}
	return render.Outcome(opts.IO.Out, opts.Format, strings.Join(lines, "\n"), res, exportColumns())
}

// RemoveBridgeOptions are the inputs of `mp account remove-bridge`.
type RemoveBridgeOptions struct {
	IO     *iostreams.IOStreams
	App    func() (*app.App, error)
	Format render.Format
	At     string
}

// NewCmdRemoveBridge returns `mp account remove-bridge [--at PATH]`.
func NewCmdRemoveBridge(f *command.Factory, runF func(context.Context, *RemoveBridgeOptions) error) *cli.Command {
	return &cli.Command{
		Name:  "remove-bridge",
		Usage: "Delete a bridge file (default: the one mp would use here) and say whether anything was removed",
		Description: "Without --at it removes the first file of the discovery order: $MP_AUTH_FILE when set\n" +
			"(only it), else ~/.claude/mixpanel/auth.json, else ./mixpanel_auth.json. A symlink or\n" +
			"anything but a regular file is refused. Removing nothing is not an error.",
		Flags: command.LeafFlags(command.NoAxes,
			&cli.StringFlag{Name: flagAt, Usage: "path of the bridge file to remove"},
		),
		Action: func(c *cli.Context) error {
			g, err := f.ReadGlobals(c, command.NoAxes)
			if err != nil {
				return err
			}
			if _, err := command.Args(c, 0, 0, ""); err != nil {
				return err
			}
			at := c.String(flagAt)
			if c.IsSet(flagAt) && at == "" {
				return domain.NewError(domain.CodeInvalidArgument, "--at needs a path").
					WithDetail("flag", "--"+flagAt).WithHint("pass --at PATH, or leave --at out to remove the bridge mp would use here")
			}
			if at != "" {
				if at, err = filepath.Abs(at); err != nil {
					return fmt.Errorf("--at: %w", err)
				}
			}
			opts := &RemoveBridgeOptions{IO: f.IO, App: f.App, Format: g.Format, At: at}
			if runF != nil {
				return runF(c.Context, opts)
			}
			return removeBridgeRun(c.Context, opts)
		},
	}
}

func removeBridgeColumns() []render.Column[app.BridgeRemoveResult] {
	return []render.Column[app.BridgeRemoveResult]{
		{Title: "PATH", Key: "path", Value: func(r app.BridgeRemoveResult) string { return r.Path }},
		{Title: "REMOVED", Key: "removed", Value: func(r app.BridgeRemoveResult) string { return render.Bool(r.Removed) }},
	}
}

func removeBridgeRun(ctx context.Context, opts *RemoveBridgeOptions) error {
	a, err := opts.App()
	if err != nil {
		return err
	}
	res, err := a.Accounts.RemoveBridge(ctx, opts.At)
	if err != nil {
		return err
	}
	var msg string
	switch {
	case res.Removed:
		msg = "Removed bridge: " + res.Path
	case res.Path != "":
		msg = "No bridge to remove at " + res.Path + "."
	default:
		msg = "No bridge file found (looked at $MP_AUTH_FILE, ~/.claude/mixpanel/auth.json, ./mixpanel_auth.json); nothing removed."
	}
	return render.Outcome(opts.IO.Out, opts.Format, msg, res, removeBridgeColumns())
}
