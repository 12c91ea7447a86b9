package mp_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	mp "github.com/mpdata/mp"
	"github.com/mpdata/mp/mptest"
)

// TestConcurrentWorkspace runs 64 goroutines on one shared handle (run it
// with -race): a third seed their own handles from snapshots and switch
// them across every account and project, checking each answer against the
// reference answer of that (account, project); a third query the shared
// handle while a few goroutines switch it between two known sessions,
// checking that every answer belongs to one of them; the rest read the
// shared handle's session and snapshots. Nothing may race, every answer
// must be right, and /me is fetched once per account.
func TestConcurrentWorkspace(t *testing.T) {
	const accounts, projects = 4, 5
	f := newFixture(t, accounts, projects)
	ctx := context.Background()
	ws := f.open(t)

	// Reference answers, one (account, project) at a time.
	type key struct {
		account string
		project mp.ProjectID
	}
	want := map[key]string{}
	q := mp.SegmentationQuery{Event: "Login", From: "2026-01-01", To: "2026-01-03"}
	answer := func(h *mp.Workspace) (string, error) {
		res, err := h.Segmentation(ctx, q)
		if err != nil {
			return "", err
		}
		list, err := h.Projects(ctx)
		if err != nil {
			return "", err
		}
		active := ""
		for _, p := range list {
			if p.IsActive {
				active = string(p.ID)
			}
		}
		return active + "|" + fmt.Sprintf("%v|%v", res.Total, res.Series), nil
	}
	// On the shared handle, which others switch, each call may run in
	// either session: check the project list and the query separately.
	parts := func(a string) (string, string) { p, q, _ := strings.Cut(a, "|"); return p, q }
	for i := range accounts {
		for j := range projects {
			if err := ws.Use(ctx, mp.WithAccount(f.account(i)), mp.WithProject(f.project(i, j))); err != nil {
				t.Fatal(err)
			}
			a, err := answer(ws)
			if err != nil {
				t.Fatal(err)
			}
			want[key{f.account(i), f.project(i, j)}] = a
		}
	}
	homeA := []mp.UseOption{mp.WithAccount("fleet-0"), mp.WithProject(f.project(0, 1))}
	homeB := []mp.UseOption{mp.WithAccount("fleet-1"), mp.WithProject(f.project(1, 3))}
	if err := ws.Use(ctx, homeA...); err != nil {
		t.Fatal(err)
	}
	meCalls := f.srv.Count(mptest.RouteMe)

	const n = 64
	errs := make(chan error, n*accounts*projects)
	var wg sync.WaitGroup
	for g := range n {
		wg.Go(func() {
			switch g % 3 {
			case 0: // a handle of its own, seeded from a snapshot, visiting every session
				h, err := ws.Fork(ctx)
				if err != nil {
					errs <- err
					return
				}
				for k := range accounts * projects {
					i, j := (k+g)%accounts, (k/accounts+g)%projects
					k := key{f.account(i), f.project(i, j)}
					if err := h.Use(ctx, mp.WithAccount(k.account), mp.WithProject(k.project)); err != nil {
						errs <- err
						return
					}
					if h.Account() != k.account || h.Project() != k.project {
						errs <- fmt.Errorf("goroutine %d: handle on %v after switching to %v", g, h.Session(), k)
						return
					}
					got, err := answer(h)
					if err != nil {
						errs <- err
						return
					}
					if got != want[k] {
						errs <- fmt.Errorf("goroutine %d: %v answered %q, want %q", g, k, got, want[k])
					}
				}
			case 1: // query the shared handle
				for range 10 {
					s := ws.Session()
					got, err := answer(ws)
					if err != nil {
						errs <- err
						return
					}
					active, query := parts(got)
					a, b := want[key{"fleet-0", f.project(0, 1)}], want[key{"fleet-1", f.project(1, 3)}]
					aActive, aQuery := parts(a)
					bActive, bQuery := parts(b)
					if (active != aActive && active != bActive) || (query != aQuery && query != bQuery) {
						errs <- fmt.Errorf("goroutine %d: shared handle (around %v) answered %q, neither session's answer", g, s, got)
					}
				}
			default: // switch the shared handle between its two sessions (a few), or read it
				if g%9 == 2 {
					for r := range 10 {
						opts := homeA
						if r%2 == 0 {
							opts = homeB
						}
						if err := ws.Use(ctx, opts...); err != nil {
							errs <- err
							return
						}
					}
					return
				}
				for range 50 {
					s := ws.Session()
					ok := (s.Account() == "fleet-0" && s.Project() == f.project(0, 1)) || (s.Account() == "fleet-1" && s.Project() == f.project(1, 3))
					if !ok {
						errs <- fmt.Errorf("goroutine %d: shared session %v is a mix", g, s)
						return
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if c := f.srv.Count(mptest.RouteMe); c != meCalls {
		t.Errorf("%d more /me calls during the concurrent run, want 0 (every account was seen)", c-meCalls)
	}
}
