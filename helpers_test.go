package mp_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	mp "github.com/mpdata/mp"
	"github.com/mpdata/mp/mptest"
)

// fixture is a sandbox with a fleet of service accounts and an mp config
// holding them as accounts fleet-0 … fleet-N (each with its first project
// as default), plus an oauth_browser account "browser" that never logged
// in.
type fixture struct {
	srv     *mptest.Server
	dir     string
	fleet   []mptest.ServiceAccount
	opts    []mp.Option
	queries mp.SegmentationQuery
}

// newFixture starts the sandbox and writes the config through the
// library itself (a handle opened on an empty config, then Accounts.Add).
func newFixture(tb testing.TB, accounts, projects int) *fixture {
	tb.Helper()
	seed := mptest.DefaultSeed()
	f := &fixture{fleet: seed.AddFleet(accounts, projects), dir: tb.TempDir()}
	f.srv = mptest.NewServer(tb, mptest.WithSeed(seed))
	f.opts = []mp.Option{
		mp.WithConfigPath(filepath.Join(f.dir, "config.toml")),
		mp.WithStorageDir(filepath.Join(f.dir, "storage")),
		mp.WithEnv(map[string]string{"HOME": f.dir}), // no bridge or config of the real home
		mp.WithAPIBaseURL(f.srv.RegionURL()),
	}
	f.queries = mp.SegmentationQuery{Event: "Login", From: "2026-01-01", To: "2026-01-07"}
	ctx := context.Background()
	ws, err := mp.Open(ctx, f.opts...)
	if err != nil {
		tb.Fatalf("Open on an empty config: %v", err)
	}
	for i, sa := range f.fleet {
		_, err := ws.Accounts.Add(ctx, mp.Account{
			Name: f.account(i), Type: mp.TypeServiceAccount, Region: mp.RegionUS,
			DefaultProject: mp.ProjectID(fmt.Sprint(sa.Projects[0])), Username: sa.Username, Secret: mp.NewSecret(sa.Secret),
		})
		if err != nil {
			tb.Fatalf("Accounts.Add: %v", err)
		}
	}
	if _, err := ws.Accounts.Add(ctx, mp.Account{Name: "browser", Type: mp.TypeOAuthBrowser, Region: mp.RegionUS, DefaultProject: "3018488"}); err != nil {
		tb.Fatalf("Accounts.Add browser: %v", err)
	}
	return f
}

// account is the mp account name of fleet account i.
func (f *fixture) account(i int) string { return fmt.Sprintf("fleet-%d", i) }

// project is the id of fleet account i's project j.
func (f *fixture) project(i, j int) mp.ProjectID {
	return mp.ProjectID(fmt.Sprint(f.fleet[i].Projects[j]))
}

// workspace is the id of the one workspace of fleet account i's project j.
func (f *fixture) workspace(i, j int) mp.WorkspaceID {
	return mp.WorkspaceID(f.fleet[i].Projects[j] + 500_000)
}

// open opens a handle on the fixture's files and sandbox.
func (f *fixture) open(tb testing.TB, opts ...mp.Option) *mp.Workspace {
	tb.Helper()
	ws, err := mp.Open(context.Background(), append(append([]mp.Option{}, f.opts...), opts...)...)
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	return ws
}
