package commandtest

import (
	"context"
	"fmt"
	"io"
	"testing"

	"go.uber.org/zap"

	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/cmd/internal/command"
	"github.com/mpdata/mp/cmd/internal/iostreams"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports/inmem"
)

// BigConfig returns a config of n service accounts a0… and n targets t0…
// (target ti on account ai), with a0 active: the shape of the config the
// benchmarks of the offline commands read.
func BigConfig(tb testing.TB, n int) domain.Config {
	tb.Helper()
	d := domain.ConfigData{Active: domain.Active{Account: "a0"}}
	for i := range n {
		d.Accounts = append(d.Accounts, domain.Account{
			Name: domain.AccountName(fmt.Sprintf("a%d", i)), Type: domain.TypeServiceAccount, Region: domain.RegionUS,
			DefaultProject: domain.ProjectID(fmt.Sprint(1000 + i)), Username: fmt.Sprintf("sa%d", i), Secret: domain.NewSecret(fmt.Sprintf("s%d", i)),
		})
		d.Targets = append(d.Targets, domain.Target{
			Name: domain.TargetName(fmt.Sprintf("t%d", i)), Account: domain.AccountName(fmt.Sprintf("a%d", i)),
			Project: domain.ProjectID(fmt.Sprint(1000 + i)), Workspace: domain.WorkspaceID(7 + i),
		})
	}
	cfg, err := domain.NewConfig(d)
	if err != nil {
		tb.Fatal(err)
	}
	return cfg
}

// SharedFactory returns streams whose stdout discards and a factory whose
// app loads cfg without copying it, as the file store hands out its
// decoded config (Share): a benchmark of a command then measures the
// command, not a copy of the config per run.
func SharedFactory(cfg domain.Config) (*iostreams.IOStreams, *command.Factory) {
	ios, _, _, _ := iostreams.Test()
	ios.Out = io.Discard
	env := inmem.Env{}
	fac := command.NewFactory(ios, env, zap.NewNop(), zap.NewAtomicLevel(), func(log *zap.Logger) (*app.App, error) {
		return app.New(app.Deps{Config: sharedStore{cfg}, Storage: inmem.NewAccountStorage(), Env: env, Log: log}), nil
	})
	return ios, fac
}

// sharedStore hands out one config without copying it (Share).
type sharedStore struct{ cfg domain.Config }

func (s sharedStore) Load(context.Context) (domain.Config, error) { return s.cfg.Share(), nil }

func (sharedStore) Update(context.Context, func(*domain.Config) error) error { return nil }
