package mp_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"

	mp "github.com/mpdata/mp"
	"github.com/mpdata/mp/mptest"
)

// Branch on what went wrong: errors.As gives the *mp.Error with its stable
// code, message, hint and details; errors.Is matches a code directly, also
// through wrapping.
func ExampleError() {
	opts, cleanup := sandbox()
	defer cleanup()
	ctx := context.Background()
	ws, err := mp.Open(ctx, opts...)
	if err != nil {
		log.Fatal(err)
	}

	for _, opt := range []mp.UseOption{mp.WithAccount("nobody"), mp.WithProject("999999")} {
		err := ws.Use(ctx, opt)
		var e *mp.Error
		if !errors.As(err, &e) {
			log.Fatal(err)
		}
		switch e.Code() {
		case mp.CodeAccountNotFound:
			fmt.Println("no such account; offer to add it")
		case mp.CodeProjectNotFound:
			fmt.Println("this account cannot see project", e.Details()["project"])
		default:
			fmt.Println("something else:", e.Message())
		}
	}
	wrapped := fmt.Errorf("nightly export: %w", ws.Use(ctx, mp.WithAccount("nobody")))
	fmt.Println(errors.Is(wrapped, mp.CodeAccountNotFound))
	// Output:
	// no such account; offer to add it
	// this account cannot see project 999999
	// true
}

// Add a service account to a config of your own (here a temporary one,
// against the mptest sandbox): the first account becomes the active one.
func ExampleAccounts_Add() {
	srv, err := mptest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	dir, err := os.MkdirTemp("", "mp-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	ctx := context.Background()
	ws, err := mp.Open(ctx,
		mp.WithConfigPath(filepath.Join(dir, "config.toml")), mp.WithStorageDir(dir),
		mp.WithoutBridge(), mp.WithAPIBaseURL(srv.RegionURL()))
	if err != nil {
		log.Fatal(err)
	}

	res, err := ws.Accounts.Add(ctx, mp.Account{
		Name: "team", Type: mp.TypeServiceAccount, Region: mp.RegionUS, DefaultProject: "3713224",
		Username: mptest.DemoUsername, Secret: mp.NewSecret(mptest.DemoSecret),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("added:", res.Account.Name, "active:", res.Promoted)
	test, err := ws.Accounts.Test(ctx, "team")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("credentials work:", test.OK, "projects:", test.ProjectCount)
	// Output:
	// added: team active: true
	// credentials work: true projects: 3
}

// Call any Mixpanel endpoint with the standard library, authenticated as
// the handle's session.
func ExampleWorkspace_HTTPClient() {
	opts, cleanup := sandbox()
	defer cleanup()
	ctx := context.Background()
	ws, err := mp.Open(ctx, opts...)
	if err != nil {
		log.Fatal(err)
	}
	resp, err := ws.HTTPClient().Get("https://mixpanel.com/api/app/projects/{project_id}/workspaces/public")
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	fmt.Println(resp.StatusCode, resp.Header.Get("Content-Type"))
	// Output:
	// 200 application/json
}

// Run on credentials the program holds itself — from a secrets manager,
// say — with nothing read from or written to disk: the handle's config
// lives in memory. Here against the mptest sandbox, which is also how to
// test code of your own that takes a *mp.Workspace.
func ExampleWithInMemoryConfig() {
	seed := mptest.DefaultSeed()
	sa := seed.AddFleet(1, 2)[0]
	srv, err := mptest.Start(mptest.WithSeed(seed))
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	ctx := context.Background()

	ws, err := mp.Open(ctx,
		mp.WithInMemoryConfig(mp.Account{
			Name: "reporting", Type: mp.TypeServiceAccount, Region: mp.RegionUS,
			DefaultProject: mp.ProjectID(fmt.Sprint(sa.Projects[1])),
			Username:       sa.Username, Secret: mp.NewSecret(sa.Secret),
		}),
		mp.WithAPIBaseURL(srv.RegionURL()), // the sandbox instead of mixpanel.com
	)
	if err != nil {
		log.Fatal(err)
	}
	projects, err := ws.Projects(ctx)
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range projects {
		fmt.Println(p.ID, p.Name, p.IsActive)
	}
	fmt.Println("/me calls:", srv.Count(mptest.RouteMe))
	// Output:
	// 9000000 Fleet 0-0 false
	// 9000001 Fleet 0-1 true
	// /me calls: 1
}

// Give code that speaks golang.org/x/oauth2 a token source over mp's token
// handling: refreshed when about to expire, rotated tokens written back.
// It serves the bearer accounts (oauth_browser, oauth_token); a service
// account authenticates with Basic — use Workspace.HTTPClient for it.
func ExampleAccounts_TokenSource() {
	srv, err := mptest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	issued, err := srv.IssueTokens(mptest.RegionUS, mptest.UserJo) // what a login would give
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	ws, err := mp.Open(ctx,
		mp.WithInMemoryConfig(mp.Account{
			Name: "ci", Type: mp.TypeOAuthToken, Region: mp.RegionUS, DefaultProject: "3018488",
			Token: mp.NewSecret(issued.AccessToken),
		}),
		mp.WithAPIBaseURL(srv.RegionURL()),
	)
	if err != nil {
		log.Fatal(err)
	}
	tok, err := ws.Accounts.TokenSource(ctx, "").Token()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(tok.TokenType, tok.Valid(), tok.AccessToken == issued.AccessToken)
	// Output:
	// Bearer true true
}
