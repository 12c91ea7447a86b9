// Command consumer is what a new library user writes: scripts/release-check.sh
// copies it into a fresh module that requires github.com/mpdata/mp at the
// release version from a module proxy, builds and runs it. It starts the
// sandbox Mixpanel of package mptest, adds a service account to a config
// in a temporary directory, opens a handle and lists the projects.
package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	mp "github.com/mpdata/mp"
	"github.com/mpdata/mp/mptest"
)

func main() {
	if err := run(context.Background()); err != nil {
		fmt.Fprintf(os.Stderr, "consumer: %v\n", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	seed := mptest.DefaultSeed()
	fleet := seed.AddFleet(1, 2)
	srv, err := mptest.Start(mptest.WithSeed(seed))
	if err != nil {
		return err
	}
	defer srv.Close()
	dir, err := os.MkdirTemp("", "mp-consumer-")
	if err != nil {
		return err
	}
	defer func() { _ = os.RemoveAll(dir) }()
	opts := []mp.Option{
		mp.WithConfigPath(filepath.Join(dir, "config.toml")),
		mp.WithStorageDir(dir),
		mp.WithEnv(map[string]string{"HOME": dir}),
		mp.WithAPIBaseURL(srv.RegionURL()),
	}
	ws, err := mp.Open(ctx, opts...)
	if err != nil {
		return err
	}
	sa := fleet[0]
	if _, err := ws.Accounts.Add(ctx, mp.Account{
		Name: "consumer", Type: mp.TypeServiceAccount, Region: mp.RegionUS,
		DefaultProject: mp.ProjectID(fmt.Sprint(sa.Projects[0])), Username: sa.Username, Secret: mp.NewSecret(sa.Secret),
	}); err != nil {
		return err
	}
	ws, err = mp.Open(ctx, opts...)
	if err != nil {
		return err
	}
	projects, err := ws.Projects(ctx)
	if err != nil {
		return err
	}
	fmt.Printf("consumer: opened a handle against mptest, %d projects:", len(projects))
	for _, p := range projects {
		fmt.Printf(" %v", p.ID)
	}
	fmt.Println()
	return nil
}
