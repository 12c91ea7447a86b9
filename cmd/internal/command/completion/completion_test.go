package completion_test

import (
	"context"
	"errors"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/urfave/cli/v2"
	"go.uber.org/zap"

	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/cmd/internal/command"
	"github.com/mpdata/mp/cmd/internal/command/commandtest"
	"github.com/mpdata/mp/cmd/internal/command/completion"
	"github.com/mpdata/mp/cmd/internal/command/root"
	"github.com/mpdata/mp/cmd/internal/iostreams"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports/inmem"
)

// fixture is a config with two accounts (team active) and two targets.
func fixture(t *testing.T) domain.Config {
	t.Helper()
	cfg, err := domain.NewConfig(domain.ConfigData{
		Accounts: []domain.Account{
			{Name: "team", Type: domain.TypeOAuthBrowser, Region: domain.RegionUS},
			{Name: "personal", Type: domain.TypeOAuthBrowser, Region: domain.RegionEU},
		},
		Targets: []domain.Target{
			{Name: "ecom", Account: "team", Project: "3018488"},
			{Name: "eu-prod", Account: "personal", Project: "99"},
		},
		Active: domain.Active{Account: "team"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// run runs the real mp app over f with args (after "mp"), normalized as
// the program does, and returns the error.
func run(f *command.Factory, args ...string) error {
	a := root.New(f)
	return a.RunContext(context.Background(), command.Normalize(a, append([]string{"mp"}, args...)))
}

// complete runs `mp __complete -- words...` over e and returns the
// candidate words (descriptions dropped).
func complete(t *testing.T, e *commandtest.Env, words ...string) []string {
	t.Helper()
	e.Stdout.Reset()
	e.Stderr.Reset()
	if err := run(e.Factory, append([]string{completion.CompleteCommand, "--"}, words...)...); err != nil {
		t.Fatalf("__complete %q: %v", words, err)
	}
	if e.Stderr.Len() != 0 {
		t.Errorf("__complete %q wrote on stderr: %q", words, e.Stderr.String())
	}
	var out []string
	for _, line := range strings.Split(strings.TrimSuffix(e.Stdout.String(), "\n"), "\n") {
		if line == "" {
			continue
		}
		word, _, _ := strings.Cut(line, "\t")
		out = append(out, word)
	}
	return out
}

func TestComplete(t *testing.T) {
	e := commandtest.New(fixture(t), nil)
	topLevel := []string{"login", "account", "target", "project", "workspace", "session", "query", "inspect", "api", "config", "version", "completion"}
	formats := []string{"table", "json", "jsonl", "csv", "plain"}
	accounts := []string{"personal", "team"}
	targets := []string{"ecom", "eu-prod"}
	tests := []struct {
		name  string
		words []string
		want  []string
	}{
		{"no word yet", nil, topLevel},
		{"commands", []string{""}, topLevel},
		{"command prefix", []string{"acc"}, []string{"account"}},
		{"hidden command not offered", []string{"__"}, nil},
		{"subcommand prefix", []string{"account", "sh"}, []string{"show"}},
		{"subcommands", []string{"target", ""}, []string{"add", "list", "show", "use", "remove"}},
		{"subcommand after a global flag", []string{"-a", "team", "account", "l"}, []string{"list", "login", "logout"}},
		{"unknown command", []string{"frobnicate", ""}, nil},
		{"group with a positional", []string{"account", "frobnicate", ""}, nil},
		{"global flag prefix", []string{"--fo"}, []string{"--format"}},
		{"global flags", []string{"--"}, []string{"--account", "--project", "--workspace", "--target", "--format", "--debug", "--quiet", "--version"}},
		{"short flags too", []string{"-"}, []string{"--account", "-a", "--project", "-p", "--workspace", "-w", "--target", "-t", "--format", "-f", "--debug", "--quiet", "--version"}},
		{"used flag not offered again", []string{"-f", "json", "--"}, []string{"--account", "--project", "--workspace", "--target", "--debug", "--quiet", "--version"}},
		{"leaf flags: own and honoured globals", []string{"account", "use", "--"}, []string{"--format", "--debug", "--quiet"}},
		{"leaf own flag", []string{"account", "add", "x", "--re"}, []string{"--region"}},
		{"raw command takes --format too", []string{"account", "token", "--f"}, []string{"--format"}},
		{"account flag value", []string{"-a", ""}, accounts},
		{"long account flag value", []string{"--account", "t"}, []string{"team"}},
		{"account flag value after the command", []string{"session", "-a", "p"}, []string{"personal"}},
		{"target flag value", []string{"-t", ""}, targets},
		{"format value", []string{"account", "list", "-f", ""}, formats},
		{"format value prefix", []string{"--format", "js"}, []string{"json", "jsonl"}},
		{"format value in the same word", []string{"account", "list", "--format=j"}, []string{"--format=json", "--format=jsonl"}},
		{"flag=value already typed", []string{"--format=json", "acc"}, []string{"account"}},
		{"region value", []string{"account", "add", "x", "--region", ""}, []string{"us", "eu", "in"}},
		{"type value", []string{"account", "add", "x", "--type", "oauth_"}, []string{"oauth_browser", "oauth_token"}},
		{"flag without known values", []string{"account", "add", "x", "--username", ""}, nil},
		{"value of a flag is not a command", []string{"-a", "account", ""}, topLevel},
		{"account use NAME", []string{"account", "use", ""}, accounts},
		{"account show NAME prefix", []string{"account", "show", "pe"}, []string{"personal"}},
		{"account NAME after flags", []string{"account", "logout", "-f", "json", ""}, accounts},
		{"only the first argument", []string{"account", "use", "team", ""}, nil},
		{"account add NAME is new", []string{"account", "add", ""}, nil},
		{"target use NAME", []string{"target", "use", ""}, targets},
		{"target remove NAME prefix", []string{"target", "remove", "eu"}, []string{"eu-prod"}},
		{"target add NAME is new", []string{"target", "add", ""}, nil},
		{"completion SHELL", []string{"completion", ""}, []string{"bash", "zsh", "fish"}},
		{"after --, no flags", []string{"account", "use", "--", "-"}, nil},
		{"after --, a name", []string{"account", "use", "--", "t"}, []string{"team"}},
		{"alias-free walk of a leaf", []string{"version", ""}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := complete(t, e, tt.words...)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("__complete %q (-want +got):\n%s", tt.words, diff)
			}
		})
	}
}

func TestCompleteWithoutDashDash(t *testing.T) {
	// Called by hand, without "--": words that need no reordering work.
	e := commandtest.New(fixture(t), nil)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"account", "use", ""}, "personal\toauth_browser, eu\nteam\toauth_browser, us, active\n"},
		{[]string{"-a", ""}, "personal\toauth_browser, eu\nteam\toauth_browser, us, active\n"},
		{[]string{"account", "sh"}, "show\tShow one account (default: the one in use, honouring --account, --target and MP_ACCOUNT); never shows secrets\n"},
		{[]string{"--fo"}, "--format\toutput format: table, json, jsonl, csv or plain\n"},
		{[]string{"target", "show", ""}, "ecom\taccount team, project 3018488\neu-prod\taccount personal, project 99\n"},
	} {
		e.Stdout.Reset()
		if err := run(e.Factory, append([]string{"__complete"}, tt.args...)...); err != nil {
			t.Fatal(err)
		}
		if got := e.Stdout.String(); got != tt.want {
			t.Errorf("__complete %q = %q, want %q", tt.args, got, tt.want)
		}
	}
}

// brokenStore is a config that cannot be read.
type brokenStore struct{}

func (brokenStore) Load(context.Context) (domain.Config, error) {
	return domain.Config{}, domain.NewError(domain.CodeConfigError, "config file has a TOML syntax error")
}

func (brokenStore) Update(context.Context, func(*domain.Config) error) error {
	return domain.NewError(domain.CodeConfigError, "config file has a TOML syntax error")
}

func TestCompleteWithoutConfigIsSilent(t *testing.T) {
	builders := map[string]command.AppBuilder{
		"broken config": func(log *zap.Logger) (*app.App, error) {
			return app.New(app.Deps{Config: brokenStore{}, Env: inmem.Env{}, Log: log, Storage: inmem.NewAccountStorage(), Clock: inmem.NewClock(commandtest.Now())}), nil
		},
		"app cannot be built": func(*zap.Logger) (*app.App, error) {
			return nil, errors.New("cannot determine the home directory")
		},
		"empty config": func(log *zap.Logger) (*app.App, error) {
			return app.New(app.Deps{Config: inmem.NewConfigStore(domain.Config{}), Env: inmem.Env{}, Log: log, Storage: inmem.NewAccountStorage(), Clock: inmem.NewClock(commandtest.Now())}), nil
		},
	}
	for name, build := range builders {
		t.Run(name, func(t *testing.T) {
			for _, words := range [][]string{{"account", "use", ""}, {"-a", ""}, {"target", "show", ""}, {"--target", "e"}} {
				ios, _, out, errOut := iostreams.Test()
				f := command.NewFactory(ios, inmem.Env{}, nil, zap.NewAtomicLevel(), build)
				if err := run(f, append([]string{"__complete", "--"}, words...)...); err != nil {
					t.Errorf("%q: %v", words, err)
				}
				if out.Len() != 0 || errOut.Len() != 0 {
					t.Errorf("%q: stdout %q, stderr %q; want nothing", words, out.String(), errOut.String())
				}
			}
			// Commands still complete.
			ios, _, out, _ := iostreams.Test()
			f := command.NewFactory(ios, inmem.Env{}, nil, zap.NewAtomicLevel(), build)
			if err := run(f, "__complete", "acc"); err != nil || !strings.HasPrefix(out.String(), "account\t") {
				t.Errorf("acc: %v %q", err, out.String())
			}
		})
	}
}

func TestCompletionScripts(t *testing.T) {
	e := commandtest.New(fixture(t), nil)
	for _, shell := range completion.Shells() {
		e.Stdout.Reset()
		if err := run(e.Factory, "completion", shell); err != nil {
			t.Fatalf("%s: %v", shell, err)
		}
		script := e.Stdout.String()
		want, ok := completion.Script(shell)
		if !ok || script != want {
			t.Errorf("%s: printed script differs from Script", shell)
		}
		if !strings.Contains(script, "mp __complete -- ") || !strings.Contains(script, "# "+shell+" completion for mp") {
			t.Errorf("%s: script does not call `mp __complete --`:\n%s", shell, script)
		}
		if path, err := exec.LookPath(shell); err == nil {
			file := filepath.Join(t.TempDir(), "mp."+shell)
			writeFile(t, file, script)
			if out, err := exec.Command(path, "-n", file).CombinedOutput(); err != nil {
				t.Errorf("%s -n: %v\n%s", shell, err, out)
			}
		}
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"completion", "tcsh"}, `unknown shell "tcsh"`},
		{[]string{"completion"}, "needs SHELL"},
		{[]string{"completion", "bash", "zsh"}, "takes SHELL"},
		{[]string{"-a", "team", "completion", "bash"}, "--account does not apply"},
		{[]string{"completion", "../mp.bash"}, "unknown shell"},
	} {
		err := run(e.Factory, tt.args...)
		if domain.CodeOf(err) != domain.CodeInvalidArgument || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("mp %q: %v, want INVALID_ARGUMENT with %q", tt.args, err, tt.want)
		}
	}
	var de *domain.Error
	if err := run(e.Factory, "completion", "tcsh"); !errors.As(err, &de) || de.Hint != "use one of bash, zsh, fish" {
		t.Errorf("unknown shell hint: %v", err)
	}
	if _, ok := completion.Script("tcsh"); ok {
		t.Error("Script(tcsh) exists")
	}
}

// TestArgumentPathsExist keeps the table of completed arguments in step
// with the command tree: each path is a leaf whose first argument is a
// NAME or a SHELL.
func TestArgumentPathsExist(t *testing.T) {
	e := commandtest.New(fixture(t), nil)
	a := root.New(e.Factory)
	for _, p := range completion.ArgumentPaths() {
		cmds := a.Commands
		var cmd *cli.Command
		for _, name := range strings.Fields(p) {
			i := slices.IndexFunc(cmds, func(c *cli.Command) bool { return c.Name == name })
			if i < 0 {
				t.Fatalf("%q: no command %q", p, name)
			}
			cmd = cmds[i]
			cmds = cmd.Subcommands
		}
		if len(cmd.Subcommands) != 0 || !strings.Contains(cmd.ArgsUsage, "NAME") && !strings.Contains(cmd.ArgsUsage, "SHELL") {
			t.Errorf("%q: args %q, subcommands %d", p, cmd.ArgsUsage, len(cmd.Subcommands))
		}
	}
}

func TestHiddenCommandNotInHelp(t *testing.T) {
	e := commandtest.New(fixture(t), nil)
	if err := run(e.Factory, "--help"); err != nil {
		t.Fatal(err)
	}
	if help := e.Stdout.String(); strings.Contains(help, completion.CompleteCommand) || !strings.Contains(help, "completion") {
		t.Errorf("help:\n%s", help)
	}
}

func TestCompleteFunction(t *testing.T) {
	// The completer over the tree with a Names that has nothing.
	e := commandtest.New(fixture(t), nil)
	a := root.New(e.Factory)
	got := completion.Complete(context.Background(), a, nil, []string{"account", "use", ""})
	if len(got) != 0 {
		t.Errorf("nil Names: %v", got)
	}
	got = completion.Complete(context.Background(), a, nil, []string{"completion", "z"})
	if want := []completion.Candidate{{Word: "zsh", Description: "shell"}}; !cmp.Equal(got, want) {
		t.Errorf("completion z: %v", got)
	}
	if line := (completion.Candidate{Word: "w"}).Line(); line != "w" {
		t.Errorf("Line without description: %q", line)
	}
}
