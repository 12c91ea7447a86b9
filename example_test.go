package mp_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sync"

	mp "github.com/mpdata/mp"
	"github.com/mpdata/mp/mptest"
)

// sandbox starts a sandbox Mixpanel (package mptest) with two service
// accounts of two projects each, and writes an mp config holding them as
// accounts "fleet-0" and "fleet-1". It returns the options that point a
// handle at both, and a function that removes everything.
func sandbox() ([]mp.Option, func()) {
	seed := mptest.DefaultSeed()
	fleet := seed.AddFleet(2, 2)
	srv, err := mptest.Start(mptest.WithSeed(seed))
	if err != nil {
		log.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "mp-example-")
	if err != nil {
		log.Fatal(err)
	}
	opts := []mp.Option{
		mp.WithConfigPath(filepath.Join(dir, "config.toml")),
		mp.WithStorageDir(dir),
		mp.WithEnv(map[string]string{"HOME": dir}), // ignore the process environment
		mp.WithAPIBaseURL(srv.RegionURL()),         // talk to the sandbox
	}
	ctx := context.Background()
	ws, err := mp.Open(ctx, opts...) // an empty config: a handle to add accounts with
	if err != nil {
		log.Fatal(err)
	}
	for i, sa := range fleet {
		_, err := ws.Accounts.Add(ctx, mp.Account{
			Name: fmt.Sprintf("fleet-%d", i), Type: mp.TypeServiceAccount, Region: mp.RegionUS,
			DefaultProject: mp.ProjectID(fmt.Sprint(sa.Projects[0])), Username: sa.Username, Secret: mp.NewSecret(sa.Secret),
		})
		if err != nil {
			log.Fatal(err)
		}
	}
	return opts, func() { srv.Close(); _ = os.RemoveAll(dir) }
}

// Open a handle, then visit every project of every account with Use and
// run one query in each: switching is one line and costs no round trip.
func Example() {
	opts, cleanup := sandbox()
	defer cleanup()
	ctx := context.Background()

	ws, err := mp.Open(ctx, opts...)
	if err != nil {
		log.Fatal(err)
	}
	accounts, err := ws.Accounts.List(ctx)
	if err != nil {
		log.Fatal(err)
	}
	for _, a := range accounts {
		if err := ws.Use(ctx, mp.WithAccount(a.Name)); err != nil {
			log.Fatal(err)
		}
		projects, err := ws.Projects(ctx) // /me: once per account, then cached
		if err != nil {
			log.Fatal(err)
		}
		for _, p := range projects {
			if err := ws.Use(ctx, mp.WithProject(p.ID)); err != nil {
				log.Fatal(err)
			}
			res, err := ws.Segmentation(ctx, mp.SegmentationQuery{Event: "Login", From: "2026-01-01", To: "2026-01-07"})
			if err != nil {
				log.Fatal(err)
			}
			fmt.Printf("%s · %s: %s total %v over %d days\n", ws.Account(), p.Name, res.Event, res.Total, len(res.Series["Login"]))
		}
	}
	// Output:
	// fleet-0 · Fleet 0-0: Login total 2832 over 7 days
	// fleet-0 · Fleet 0-1: Login total 2527 over 7 days
	// fleet-1 · Fleet 1-0: Login total 3511 over 7 days
	// fleet-1 · Fleet 1-1: Login total 3285 over 7 days
}

// Use switches the handle; a failed switch returns an *mp.Error and keeps
// the session as it was.
func ExampleWorkspace_Use() {
	opts, cleanup := sandbox()
	defer cleanup()
	ctx := context.Background()

	ws, err := mp.Open(ctx, opts...)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("start:", ws.Session())

	if err := ws.Use(ctx, mp.WithAccount("fleet-1")); err != nil {
		log.Fatal(err)
	}
	fmt.Println("after Use:", ws.Session())

	err = ws.Use(ctx, mp.WithAccount("nobody"))
	var e *mp.Error
	if errors.As(err, &e) {
		fmt.Println("error code:", e.Code())
	}
	fmt.Println("is ACCOUNT_NOT_FOUND:", errors.Is(err, mp.CodeAccountNotFound))
	fmt.Println("still:", ws.Session())
	// Output:
	// start: fleet-0/9000000
	// after Use: fleet-1/9001000
	// error code: ACCOUNT_NOT_FOUND
	// is ACCOUNT_NOT_FOUND: true
	// still: fleet-1/9001000
}

// Fork one handle per goroutine: the handles share the engine (one HTTP
// client, the /me and workspace caches) and switch independently.
func ExampleWorkspace_Fork() {
	opts, cleanup := sandbox()
	defer cleanup()
	ctx := context.Background()

	ws, err := mp.Open(ctx, opts...)
	if err != nil {
		log.Fatal(err)
	}
	accounts := []string{"fleet-0", "fleet-1"}
	out := make([]string, len(accounts))
	var wg sync.WaitGroup
	for i, name := range accounts {
		wg.Go(func() {
			h, err := ws.Fork(ctx, mp.WithAccount(name))
			if err != nil {
				log.Fatal(err)
			}
			me, err := h.Me(ctx)
			if err != nil {
				log.Fatal(err)
			}
			out[i] = fmt.Sprintf("%s sees %d projects as %s", h.Account(), len(me.Projects), me.User.Email)
		})
	}
	wg.Wait()
	for _, line := range out {
		fmt.Println(line)
	}
	fmt.Println("the shared handle is still on", ws.Session())
	// Output:
	// fleet-0 sees 2 projects as fleet-0.mp-service-account@serviceaccount.mixpanel.com
	// fleet-1 sees 2 projects as fleet-1.mp-service-account@serviceaccount.mixpanel.com
	// the shared handle is still on fleet-0/9000000
}
