package mp_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	mp "github.com/mpdata/mp"
	"github.com/mpdata/mp/mptest"
)

// BenchmarkUseSeen measures Use to an already-seen (account, project):
// it alternates between two sessions of two accounts whose /me answers the
// engine holds. No request may reach the sandbox.
func BenchmarkUseSeen(b *testing.B) {
	f := newFixture(b, 2, 2)
	ctx := context.Background()
	ws := f.open(b)
	sessions := [][]mp.UseOption{
		{mp.WithAccount("fleet-0"), mp.WithProject(f.project(0, 1))},
		{mp.WithAccount("fleet-1"), mp.WithProject(f.project(1, 1))},
	}
	for _, s := range sessions {
		if err := ws.Use(ctx, s...); err != nil {
			b.Fatal(err)
		}
		if _, err := ws.Me(ctx); err != nil {
			b.Fatal(err)
		}
	}
	requests := len(f.srv.Requests())
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		if err := ws.Use(ctx, sessions[i%2]...); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.StopTimer()
	if n := len(f.srv.Requests()) - requests; n != 0 {
		b.Fatalf("Use among seen sessions made %d requests", n)
	}
}

// BenchmarkUseSnapshot measures Use(WithSession(s)): going back to a
// snapshot, which needs neither the config nor the network.
func BenchmarkUseSnapshot(b *testing.B) {
	f := newFixture(b, 2, 2)
	ctx := context.Background()
	ws := f.open(b)
	a := ws.Session()
	if err := ws.Use(ctx, mp.WithAccount("fleet-1")); err != nil {
		b.Fatal(err)
	}
	snaps := []mp.Session{a, ws.Session()}
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		if err := ws.Use(ctx, mp.WithSession(snaps[i%2])); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkSweep opens a fresh handle (a new engine: new HTTP client,
// empty memory caches, the /me disk cache removed) and visits 5 accounts
// × 20 projects with one segmentation query each: Use to the account,
// Projects (its /me), then Use and Segmentation per project. It reports
// per sweep the /me calls (expect 5), the TCP connections the sandbox
// accepted (expect 1: every region is one host there), the queries, and
// the milliseconds; ns/op is the same sweep.
func BenchmarkSweep(b *testing.B) {
	const accounts, projects = 5, 20
	f := newFixture(b, accounts, projects)
	ctx := context.Background()
	q := mp.SegmentationQuery{Event: "Login", From: "2026-01-01", To: "2026-01-07"}
	var me, conns, queries int
	var total time.Duration
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		dropMeCache(b, filepath.Join(f.dir, "storage"))
		me0, conns0, q0 := f.srv.Count(mptest.RouteMe), f.srv.Connections(), f.srv.Count(mptest.RouteSegmentation)
		b.StartTimer()
		start := time.Now()

		ws := f.open(b)
		for i := range accounts {
			if err := ws.Use(ctx, mp.WithAccount(f.account(i))); err != nil {
				b.Fatal(err)
			}
			list, err := ws.Projects(ctx)
			if err != nil {
				b.Fatal(err)
			}
			for _, p := range list {
				if err := ws.Use(ctx, mp.WithProject(p.ID)); err != nil {
					b.Fatal(err)
				}
				if _, err := ws.Segmentation(ctx, q); err != nil {
					b.Fatal(err)
				}
			}
		}

		total += time.Since(start)
		b.StopTimer()
		ws.CloseIdleConnections()
		me += f.srv.Count(mptest.RouteMe) - me0
		conns += f.srv.Connections() - conns0
		queries += f.srv.Count(mptest.RouteSegmentation) - q0
		b.StartTimer()
	}
	n := float64(b.N)
	b.ReportMetric(float64(me)/n, "me-calls/sweep")
	b.ReportMetric(float64(conns)/n, "tcp-conns/sweep")
	b.ReportMetric(float64(queries)/n, "queries/sweep")
	b.ReportMetric(float64(total.Milliseconds())/n, "ms/sweep")
	if me != accounts*b.N || conns != b.N || queries != accounts*projects*b.N {
		b.Fatalf("per sweep: %v /me calls (want %d), %v connections (want 1), %v queries (want %d)",
			float64(me)/n, accounts, float64(conns)/n, float64(queries)/n, accounts*projects)
	}
}

// dropMeCache removes the /me disk cache of every account under storage.
func dropMeCache(tb testing.TB, storage string) {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join(storage, "accounts", "*", "me.json"))
	if err != nil {
		tb.Fatal(err)
	}
	for _, f := range files {
		if err := os.Remove(f); err != nil {
			tb.Fatal(err)
		}
	}
}

// BenchmarkOpen measures mp.Open on a config of 6 accounts (fleet-0 …
// fleet-4 and the oauth_browser "browser") with the fixture's hermetic
// options: reading and resolving the config, no network call.
func BenchmarkOpen(b *testing.B) {
	f := newFixture(b, 5, 1)
	ctx := context.Background()
	requests := len(f.srv.Requests())
	b.ReportAllocs()
	for b.Loop() {
		if _, err := mp.Open(ctx, f.opts...); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if n := len(f.srv.Requests()) - requests; n != 0 {
		b.Fatalf("Open made %d requests", n)
	}
}

// BenchmarkQuery measures one Segmentation round trip against the sandbox
// on an open handle whose /me answer and connection are already warm.
func BenchmarkQuery(b *testing.B) {
	f := newFixture(b, 1, 1)
	ctx := context.Background()
	ws := f.open(b)
	if _, err := ws.Segmentation(ctx, f.queries); err != nil {
		b.Fatal(err)
	}
	queries := f.srv.Count(mptest.RouteSegmentation)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ws.Segmentation(ctx, f.queries); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if n := f.srv.Count(mptest.RouteSegmentation) - queries; n != b.N {
		b.Fatalf("%d queries reached the sandbox for %d iterations", n, b.N)
	}
}
