package account

import (
	"context"
	"fmt"
	"io"
	"testing"

	"go.uber.org/zap"

	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/cmd/internal/command"
	"github.com/mpdata/mp/cmd/internal/iostreams"
	"github.com/mpdata/mp/cmd/internal/render"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports/inmem"
)

// sharedStore hands out one decoded config without copying it, as the
// file store does (Share): what a benchmark of the listing measures is
// then the listing, not a copy of the config per run.
type sharedStore struct{ cfg domain.Config }

func (s sharedStore) Load(context.Context) (domain.Config, error) { return s.cfg.Share(), nil }

func (sharedStore) Update(context.Context, func(*domain.Config) error) error { return nil }

// BenchmarkListRun measures `mp account list` after the config is decoded
// (use case and renderer only) over n service accounts and n targets, the
// shape of cmd/internal/cli's BenchmarkOfflineCommand, into a discarding
// stdout.
func BenchmarkListRun(b *testing.B) {
	for _, n := range []int{3, 5000} {
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
			b.Fatal(err)
		}
		for _, f := range []render.Format{render.Table, render.JSON} {
			b.Run(fmt.Sprintf("n=%d/%s", n, f), func(b *testing.B) {
				ios, _, _, _ := iostreams.Test()
				ios.Out = io.Discard
				env := inmem.Env{}
				fac := command.NewFactory(ios, env, zap.NewNop(), zap.NewAtomicLevel(), func(log *zap.Logger) (*app.App, error) {
					return app.New(app.Deps{Config: sharedStore{cfg}, Storage: inmem.NewAccountStorage(), Env: env, Log: log}), nil
				})
				opts := &ListOptions{IO: ios, App: fac.App, Format: f}
				for b.Loop() {
					if err := listRun(context.Background(), opts); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
