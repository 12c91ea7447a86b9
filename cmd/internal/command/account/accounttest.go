package account

import (
	"context"
	"strconv"

	"github.com/urfave/cli/v2"

	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/cmd/internal/command"
	"github.com/mpdata/mp/cmd/internal/iostreams"
	"github.com/mpdata/mp/cmd/internal/render"
	"github.com/mpdata/mp/domain"
)

// TestOptions are the inputs of `mp account test`.
type TestOptions struct {
	IO        *iostreams.IOStreams
	App       func() (*app.App, error)
	Format    render.Format
	Selection domain.Selection
	// Name is the account to test; empty: the one the resolver picks.
	Name domain.AccountName
}

// NewCmdTest returns `mp account test [NAME]`.
func NewCmdTest(f *command.Factory, runF func(context.Context, *TestOptions) error) *cli.Command {
	const axes = command.AccountAxes
	return &cli.Command{
		Name:      "test",
		Usage:     "Check an account's credentials against Mixpanel (GET /api/app/me); prints JSON by default",
		ArgsUsage: "[NAME]",
		Description: "Calls /me with the account's credentials (never from the cache) and prints the outcome:\n" +
			"account_name, ok, user {id, email} (null when not ok), accessible_project_count, error and\n" +
			"error_code (null when ok). The output is JSON unless --format says otherwise. The exit code\n" +
			"follows the outcome: 0 when ok, 2 for rejected credentials, 4 for an unknown account, 1 for\n" +
			"anything else (network, server). A successful answer refreshes the account's /me cache.",
		Flags: command.LeafFlagsDefault(axes, render.JSON),
		Action: func(c *cli.Context) error {
			g, err := f.ReadGlobalsDefault(c, axes, render.JSON)
			if err != nil {
				return err
			}
			args, err := command.Args(c, 0, 1, "[NAME]")
			if err != nil {
				return err
			}
			opts := &TestOptions{IO: f.IO, App: f.App, Format: g.Format, Selection: g.Selection}
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
			return testRun(c.Context, opts)
		},
	}
}

func testRun(ctx context.Context, opts *TestOptions) error {
	a, err := opts.App()
	if err != nil {
		return err
	}
	res, err := a.Accounts.Test(ctx, opts.Selection, opts.Name)
	if err != nil && res.ErrorCode == nil {
		// Not an outcome of the probe (the config cannot be read, …):
		// there is no result to print.
		return err
	}
	if !res.OK && err == nil {
		err = outcomeError(res)
	}
	if werr := render.Record(opts.IO.Out, opts.Format, res, testColumns()); werr != nil {
		return werr
	}
	return command.Stated(err)
}

// outcomeError rebuilds the error of a failed result that came without
// one, so the exit code still follows error_code.
func outcomeError(res app.AccountTestResult) error {
	code, msg := domain.CodeAuthFailed, "the account test failed"
	if res.ErrorCode != nil {
		code = domain.Code(*res.ErrorCode)
	}
	if res.Error != nil {
		msg = *res.Error
	}
	return domain.NewError(code, "%s", msg).WithDetail("account", res.AccountName)
}

// testColumns are the fields of an AccountTestResult, flattened.
func testColumns() []render.Column[app.AccountTestResult] {
	type col = render.Column[app.AccountTestResult]
	return []col{
		{Title: "ACCOUNT", Key: "account_name", Value: func(r app.AccountTestResult) string { return r.AccountName }},
		{Title: "OK", Key: "ok", Value: func(r app.AccountTestResult) string { return render.Bool(r.OK) }},
		{Title: "USER ID", Key: "user_id", Value: func(r app.AccountTestResult) string {
			if r.User == nil {
				return ""
			}
			return strconv.FormatInt(r.User.ID, 10)
		}},
		{Title: "EMAIL", Key: "user_email", Value: func(r app.AccountTestResult) string {
			if r.User == nil {
				return ""
			}
			return r.User.Email
		}},
		{Title: "PROJECTS", Key: "accessible_project_count", Value: func(r app.AccountTestResult) string {
			return strconv.Itoa(r.AccessibleProjectCount)
		}},
		{Title: "ERROR", Key: "error", Value: func(r app.AccountTestResult) string { return render.Optional(r.Error) }},
		{Title: "ERROR CODE", Key: "error_code", Value: func(r app.AccountTestResult) string { return render.Optional(r.ErrorCode) }},
	}
}
