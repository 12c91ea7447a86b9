package mp_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	mp "github.com/mpdata/mp"
	"github.com/mpdata/mp/mptest"
)

// TestUseRefusesIDsTheAccountCannotSee: a project /me does not list, and a
// workspace of another project, are refused with a typed error; the old
// session stays, and Persist writes nothing.
func TestUseRefusesIDsTheAccountCannotSee(t *testing.T) {
	f := newFixture(t, 2, 2)
	ctx := context.Background()
	ws := f.open(t)
	before := ws.Session()
	configPath := filepath.Join(f.dir, "config.toml")
	saved, err := os.ReadFile(configPath)
	if err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name string
		opts []mp.UseOption
		code mp.Code
		hint string
	}{
		{"unknown project", []mp.UseOption{mp.WithProject("999999")}, mp.CodeProjectNotFound, "project list"},
		{"unknown project, persisted", []mp.UseOption{mp.WithProject("999999"), mp.Persist()}, mp.CodeProjectNotFound, "project list"},
		{"another account's project", []mp.UseOption{mp.WithProject(f.project(1, 0))}, mp.CodeProjectNotFound, "project list"},
		{"workspace of another project", []mp.UseOption{mp.WithProject(f.project(0, 0)), mp.WithWorkspace(f.workspace(0, 1))}, mp.CodeInvalidArgument, "workspace list"},
		{"workspace alone, of another project", []mp.UseOption{mp.WithWorkspace(f.workspace(0, 1)), mp.Persist()}, mp.CodeInvalidArgument, "workspace list"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := ws.Use(ctx, c.opts...)
			var e *mp.Error
			if !errors.As(err, &e) || e.Code() != c.code {
				t.Fatalf("Use = %v, want %s", err, c.code)
			}
			if !strings.Contains(e.Hint(), c.hint) {
				t.Errorf("hint %q does not point at %q", e.Hint(), c.hint)
			}
			if s := ws.Session(); s != before {
				t.Fatalf("session after a refused Use = %v, want %v", s, before)
			}
		})
	}
	if after, _ := os.ReadFile(configPath); string(after) != string(saved) {
		t.Fatalf("a refused Use changed config.toml:\n%s", after)
	}
	// The valid pair still switches.
	if err := ws.Use(ctx, mp.WithProject(f.project(0, 1)), mp.WithWorkspace(f.workspace(0, 1))); err != nil {
		t.Fatalf("Use of a visible pair: %v", err)
	}
}

// TestConcurrentMeIsOneRequestPerAccount: goroutines asking for the /me
// answer of the same accounts at once, through handles that share one
// engine, cause one request per account.
func TestConcurrentMeIsOneRequestPerAccount(t *testing.T) {
	const accounts, perAccount = 6, 3
	f := newFixture(t, accounts, 1)
	ctx := context.Background()
	ws := f.open(t)
	snaps := make([]mp.Session, accounts)
	for i := range accounts {
		if err := ws.Use(ctx, mp.WithAccount(f.account(i))); err != nil {
			t.Fatal(err)
		}
		snaps[i] = ws.Session()
	}
	if n := f.srv.Count(mptest.RouteMe); n != 0 {
		t.Fatalf("switching accounts made %d /me requests", n)
	}
	var wg sync.WaitGroup
	errs := make(chan error, accounts*perAccount)
	start := make(chan struct{})
	for i := range accounts {
		for range perAccount {
			h, err := ws.Fork(ctx, mp.WithSession(snaps[i]))
			if err != nil {
				t.Fatal(err)
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				if _, err := h.Me(ctx); err != nil {
					errs <- err
				}
			}()
		}
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if n := f.srv.Count(mptest.RouteMe); n != accounts {
		t.Fatalf("%d /me requests for %d accounts asked %d times each at once, want %d", n, accounts, perAccount, accounts)
	}
}

// TestConcurrentWavesReuseConnections: later waves of concurrent calls
// reuse the connections of the first (the pool keeps as many idle
// connections as there are callers), and sequential calls use one.
func TestConcurrentWavesReuseConnections(t *testing.T) {
	const callers = 24
	f := newFixture(t, 1, 1)
	ctx := context.Background()
	ws := f.open(t)
	if _, err := ws.Segmentation(ctx, f.queries); err != nil {
		t.Fatal(err)
	}
	if _, err := ws.Segmentation(ctx, f.queries); err != nil {
		t.Fatal(err)
	}
	if c := f.srv.Connections(); c != 1 {
		t.Fatalf("sequential calls opened %d connections, want 1", c)
	}
	wave := func() {
		var wg sync.WaitGroup
		start := make(chan struct{})
		for range callers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				if _, err := ws.Segmentation(ctx, f.queries); err != nil {
					t.Error(err)
				}
			}()
		}
		close(start)
		wg.Wait()
	}
	for range 3 {
		wave()
	}
	// However many waves, no more connections than concurrent callers
	// (one more if a connection is still being handed back when the next
	// wave starts); a pool smaller than a wave opens most of a wave anew
	// every time.
	if c := f.srv.Connections(); c > callers+1 {
		t.Fatalf("%d connections for 3 waves of %d concurrent callers, want at most %d", c, callers, callers+1)
	}
}
