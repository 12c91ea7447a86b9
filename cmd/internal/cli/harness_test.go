package cli

import (
	"context"
	"testing"

	"go.uber.org/zap"

	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/cmd/internal/iostreams"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports/inmem"
)

// The unique secret of the fixture; no output may ever contain it.
const fixtureSecret = "s3cr3t-7f1c9e2b-NEVER-PRINT"

// fixture returns a config with the three account types, two targets and
// an active account with a workspace.
func fixture(t *testing.T) domain.Config {
	t.Helper()
	cfg, err := domain.NewConfig(domain.ConfigData{
		Accounts: []domain.Account{
			{
				Name: "team", Type: domain.TypeServiceAccount, Region: domain.RegionUS, DefaultProject: "3018488",
				Username: "team-mp.292e7c.mp-service-account", Secret: domain.NewSecret(fixtureSecret),
			},
			{Name: "personal", Type: domain.TypeOAuthBrowser, Region: domain.RegionEU},
			{Name: "ci", Type: domain.TypeOAuthToken, Region: domain.RegionIN, DefaultProject: "3713224", TokenEnv: "MP_CI_TOKEN"},
		},
		Targets: []domain.Target{
			{Name: "ecom", Account: "team", Project: "3018488", Workspace: 3448414},
			{Name: "stage", Account: "ci", Project: "3713224"},
		},
		Active: domain.Active{Account: "team", Workspace: 3448414},
	})
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// world is one in-process run environment: a config store, storage and env.
type world struct {
	store   *inmem.ConfigStore
	storage *inmem.AccountStorage
	env     inmem.Env
}

func newWorld(cfg domain.Config, env map[string]string) *world {
	if env == nil {
		env = map[string]string{}
	}
	return &world{store: inmem.NewConfigStore(cfg), storage: inmem.NewAccountStorage(), env: inmem.Env(env)}
}

func (w *world) builder() func(*zap.Logger) (*app.App, error) {
	return func(log *zap.Logger) (*app.App, error) {
		return app.New(app.Deps{Config: w.store, Storage: w.storage, Env: w.env, Log: log}), nil
	}
}

// result is what one run produced.
type result struct {
	code   int
	stdout string
	stderr string
}

// run runs mp in-process with args (without the program name).
func (w *world) run(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	ios, in, out, errOut := iostreams.Test()
	in.WriteString(stdin)
	code := Run(context.Background(), append([]string{"mp"}, args...), ios, w.env, w.builder())
	return result{code: code, stdout: out.String(), stderr: errOut.String()}
}
