package commandtest

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/urfave/cli/v2"
	"go.uber.org/zap"

	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/cmd/internal/command"
	"github.com/mpdata/mp/cmd/internal/iostreams"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports/inmem"
)

// Env is a test environment.
type Env struct {
	// Factory serves the commands.
	Factory *command.Factory
	// IO are the buffered streams; Stdin, Stdout and Stderr their buffers.
	IO     *iostreams.IOStreams
	Stdin  *bytes.Buffer
	Stdout *bytes.Buffer
	Stderr *bytes.Buffer
	// Store holds the config.
	Store *inmem.ConfigStore
	// Storage records removed account data.
	Storage *inmem.AccountStorage
	// API is the scriptable Mixpanel API (it knows no credential until
	// the test calls API.SetMe).
	API *inmem.MixpanelAPI
	// Me caches /me answers.
	Me *inmem.MeCache
	// Clock is the app's clock, starting at Now().
	Clock *inmem.Clock
	// Tokens holds oauth_browser accounts' tokens.
	Tokens *inmem.TokenStore
	// OAuth is the scriptable OAuth flow (browser login and refresh).
	OAuth *inmem.OAuthFlow
}

// Now is the time the test clock starts at.
func Now() time.Time { return time.Date(2026, 4, 8, 12, 0, 0, 0, time.UTC) }

// New returns a test environment over cfg and the environment variables
// env.
func New(cfg domain.Config, env map[string]string) *Env {
	if env == nil {
		env = map[string]string{}
	}
	ios, in, out, errOut := iostreams.Test()
	e := &Env{
		IO: ios, Stdin: in, Stdout: out, Stderr: errOut,
		Store: inmem.NewConfigStore(cfg), Storage: inmem.NewAccountStorage(),
		API: inmem.NewMixpanelAPI(), Me: inmem.NewMeCache(), Clock: inmem.NewClock(Now()),
		Tokens: inmem.NewTokenStore(), OAuth: inmem.NewOAuthFlow(),
	}
	osEnv := inmem.Env(env)
	e.Factory = command.NewFactory(ios, osEnv, zap.NewNop(), zap.NewAtomicLevel(), func(log *zap.Logger) (*app.App, error) {
		return app.New(app.Deps{
			Config: e.Store, Storage: e.Storage, Env: osEnv, Log: log,
			API: e.API, Me: e.Me, Clock: e.Clock, Tokens: e.Tokens, OAuth: e.OAuth,
		}), nil
	})
	return e
}

// Run runs cmds under an app named mp with the root's global flags; args
// exclude the program name and are normalized as in the real program.
func Run(f *command.Factory, cmds []*cli.Command, args ...string) error {
	a := &cli.App{
		Name:           "mp",
		Reader:         f.IO.In,
		Writer:         f.IO.Out,
		ErrWriter:      f.IO.ErrOut,
		ExitErrHandler: func(*cli.Context, error) {},
		HideVersion:    true,
		Flags:          command.RootFlags(),
		Action:         command.UnknownCommand,
		OnUsageError:   command.OnUsageError,
		Commands:       cmds,
	}
	var set func([]*cli.Command)
	set = func(cs []*cli.Command) {
		for _, c := range cs {
			c.OnUsageError = command.OnUsageError
			set(c.Subcommands)
		}
	}
	set(cmds)
	return a.RunContext(context.Background(), command.Normalize(a, append([]string{"mp"}, args...)))
}

// Group wraps leaf commands in a command group named name.
func Group(name string, leaves ...*cli.Command) *cli.Command {
	return &cli.Command{Name: name, Action: command.UnknownCommand, Subcommands: leaves}
}

// Token is the bearer of the account Connected sets up; no output may
// contain it.
const Token = "tok-connected-NEVER-PRINT"

// Connected returns a test environment with one active oauth_token account
// "ci" (region us, default project 3018488, the inline token Token) whose
// credential the API accepts with me as its /me answer.
func Connected(tb testing.TB, me domain.Me) *Env {
	tb.Helper()
	cfg, err := domain.NewConfig(domain.ConfigData{
		Accounts: []domain.Account{{
			Name: "ci", Type: domain.TypeOAuthToken, Region: domain.RegionUS,
			DefaultProject: "3018488", Token: domain.NewSecret(Token),
		}},
		Active: domain.Active{Account: "ci"},
	})
	if err != nil {
		tb.Fatal(err)
	}
	e := New(cfg, nil)
	e.API.SetMe(domain.BearerCredential(domain.NewSecret(Token)), domain.RegionUS, me)
	return e
}
