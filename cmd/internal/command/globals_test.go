package command_test

import (
	"testing"

	"github.com/urfave/cli/v2"

	"github.com/mpdata/mp/cmd/internal/command"
	"github.com/mpdata/mp/cmd/internal/command/commandtest"
	"github.com/mpdata/mp/cmd/internal/render"
	"github.com/mpdata/mp/domain"
)

// probe is a leaf command that records the globals it reads.
func probe(f *command.Factory, axes command.Axes, got *command.Globals, own ...cli.Flag) *cli.Command {
	return &cli.Command{
		Name:  "probe",
		Flags: command.LeafFlags(axes, own...),
		Action: func(c *cli.Context) error {
			g, err := f.ReadGlobals(c, axes)
			*got = g
			return err
		},
	}
}

func TestReadGlobals(t *testing.T) {
	tests := []struct {
		name string
		axes command.Axes
		args []string
		want command.Globals
		code domain.Code // expected error code, "" for success
	}{
		{"nothing", command.AllAxes, []string{"probe"}, command.Globals{Format: render.Table}, ""},
		{
			"before the subcommand", command.AllAxes,
			[]string{"-a", "team", "-p", "12", "-w", "7", "--format", "json", "--debug", "--quiet", "probe"},
			command.Globals{Selection: domain.Selection{Account: "team", Project: "12", Workspace: 7}, Format: render.JSON, Debug: true, Quiet: true},
			"",
		},
		{
			"after the subcommand", command.AllAxes,
			[]string{"probe", "--account", "team", "--target", "t1", "-f", "csv"},
			command.Globals{Selection: domain.Selection{Account: "team", Target: "t1"}, Format: render.CSV},
			"",
		},
		{
			"after a positional", command.AllAxes,
			[]string{"probe", "arg", "-t", "ecom", "--format=plain"},
			command.Globals{Selection: domain.Selection{Target: "ecom"}, Format: render.Plain},
			"",
		},
		{
			"subcommand level wins", command.AllAxes,
			[]string{"-a", "outer", "-f", "json", "probe", "-a", "inner"},
			command.Globals{Selection: domain.Selection{Account: "inner"}, Format: render.JSON},
			"",
		},
		{
			"long and short names are the same flag", command.AccountAxes,
			[]string{"--account", "x", "probe"},
			command.Globals{Selection: domain.Selection{Account: "x"}, Format: render.Table},
			"",
		},
		{"invalid account name", command.AllAxes, []string{"probe", "-a", "../etc"}, command.Globals{}, domain.CodeInvalidArgument},
		{"invalid project", command.AllAxes, []string{"-p", "12a", "probe"}, command.Globals{}, domain.CodeInvalidArgument},
		{"invalid workspace", command.AllAxes, []string{"probe", "-w", "0"}, command.Globals{}, domain.CodeInvalidArgument},
		{"invalid format", command.AllAxes, []string{"probe", "-f", "yaml"}, command.Globals{}, domain.CodeInvalidArgument},
		{"selection flag not honoured (before)", command.NoAxes, []string{"-a", "team", "probe"}, command.Globals{}, domain.CodeInvalidArgument},
		{"project not honoured by an account-only command", command.AccountAxes, []string{"-p", "1", "probe"}, command.Globals{}, domain.CodeInvalidArgument},
		{"selection flag not defined after", command.NoAxes, []string{"probe", "-a", "team"}, command.Globals{}, domain.CodeInvalidArgument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := commandtest.New(domain.Config{}, nil)
			var got command.Globals
			err := commandtest.Run(env.Factory, []*cli.Command{probe(env.Factory, tt.axes, &got)}, tt.args...)
			if tt.code != "" {
				if domain.CodeOf(err) != tt.code {
					t.Fatalf("error = %v (code %q), want code %s", err, domain.CodeOf(err), tt.code)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("globals = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestFlagErrorsNameTheFlag(t *testing.T) {
	tests := []struct {
		args []string
		flag string
	}{
		{[]string{"probe", "-a", "bad name"}, "--account"},
		{[]string{"-p", "x", "probe"}, "--project"},
		{[]string{"probe", "--workspace", "-3"}, "--workspace"},
		{[]string{"probe", "-t", ""}, "--target"},
		{[]string{"probe", "-f", "xml"}, "--format"},
		{[]string{"probe", "--nope"}, "--nope"},
		{[]string{"probe", "-f"}, "-f"},
	}
	for _, tt := range tests {
		env := commandtest.New(domain.Config{}, nil)
		var got command.Globals
		err := commandtest.Run(env.Factory, []*cli.Command{probe(env.Factory, command.AllAxes, &got)}, tt.args...)
		var de *domain.Error
		if !asError(err, &de) || de.Code != domain.CodeInvalidArgument {
			t.Errorf("%q: error %v, want INVALID_ARGUMENT", tt.args, err)
			continue
		}
		if de.Details["flag"] != tt.flag {
			t.Errorf("%q: details.flag = %v, want %s (message %q)", tt.args, de.Details["flag"], tt.flag, de.Message)
		}
	}
}

func TestOwnFlagIsNotTheGlobalOne(t *testing.T) {
	own := &cli.StringFlag{Name: "account", Aliases: []string{"a"}}
	env := commandtest.New(domain.Config{}, nil)
	var got command.Globals
	var ownValue string
	cmd := probe(env.Factory, command.NoAxes, &got, own)
	inner := cmd.Action
	cmd.Action = func(c *cli.Context) error {
		ownValue = c.String("account")
		return inner(c)
	}
	if err := commandtest.Run(env.Factory, []*cli.Command{cmd}, "probe", "-a", "mine"); err != nil {
		t.Fatalf("own --account after the command: %v", err)
	}
	if ownValue != "mine" || !got.Selection.IsZero() {
		t.Errorf("own = %q, selection = %+v; want own 'mine' and no selection", ownValue, got.Selection)
	}
	// The global --account before the command does not apply: an error
	// whose hint says to put it after the command.
	err := commandtest.Run(env.Factory, []*cli.Command{probe(env.Factory, command.NoAxes, &got, &cli.StringFlag{Name: "account"})}, "-a", "x", "probe")
	var de *domain.Error
	if !asError(err, &de) || de.Code != domain.CodeInvalidArgument || de.Hint == "" {
		t.Fatalf("global --account before a command with its own --account: %v", err)
	}
}

func TestUnknownCommandAndArgs(t *testing.T) {
	env := commandtest.New(domain.Config{}, nil)
	var got command.Globals
	cmds := []*cli.Command{commandtest.Group("grp", probe(env.Factory, command.NoAxes, &got))}
	for _, args := range [][]string{{"nope"}, {"grp", "nope"}} {
		err := commandtest.Run(env.Factory, cmds, args...)
		if domain.CodeOf(err) != domain.CodeInvalidArgument {
			t.Errorf("%q: %v, want INVALID_ARGUMENT", args, err)
		}
	}
	if err := commandtest.Run(env.Factory, cmds, "grp"); err != nil {
		t.Errorf("group without subcommand shows help: %v", err)
	}
	if env.Stdout.Len() == 0 {
		t.Error("no help printed")
	}
}

func TestArgs(t *testing.T) {
	env := commandtest.New(domain.Config{}, nil)
	var got []string
	mk := func(lo, hi int) *cli.Command {
		return &cli.Command{Name: "probe", Action: func(c *cli.Context) error {
			var err error
			got, err = command.Args(c, lo, hi, "NAME")
			return err
		}}
	}
	tests := []struct {
		lo, hi int
		args   []string
		ok     bool
	}{
		{1, 1, []string{"a"}, true},
		{1, 1, nil, false},
		{1, 1, []string{"a", "b"}, false},
		{0, 1, nil, true},
		{0, 0, []string{"x"}, false},
		{0, -1, []string{"x", "y", "z"}, true},
	}
	for _, tt := range tests {
		err := commandtest.Run(env.Factory, []*cli.Command{mk(tt.lo, tt.hi)}, append([]string{"probe"}, tt.args...)...)
		if tt.ok != (err == nil) {
			t.Errorf("Args(%d,%d) on %q: err %v", tt.lo, tt.hi, tt.args, err)
		}
		if !tt.ok && domain.CodeOf(err) != domain.CodeInvalidArgument {
			t.Errorf("Args(%d,%d) on %q: code %q", tt.lo, tt.hi, tt.args, domain.CodeOf(err))
		}
		if tt.ok && len(got) != len(tt.args) {
			t.Errorf("Args returned %q", got)
		}
	}
}
