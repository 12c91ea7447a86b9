package mixpanelhttp_test

import (
	"context"
	"testing"

	"github.com/mpdata/mp/adapters/mixpanelhttp"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/mptest"
)

// BenchmarkMe measures one authenticated GET /api/app/me round trip
// through the adapter (request, Basic auth, envelope, ParseMe) against
// mptest on loopback, and reports the TCP connections opened in all.
func BenchmarkMe(b *testing.B) {
	srv := mptest.NewServer(b)
	c := mixpanelhttp.New(mixpanelhttp.Options{BaseURL: srv.RegionURL()})
	scope := usScope()
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Me(ctx, scope); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(srv.Connections()), "conns")
}

// BenchmarkSequentialQueries runs 100 sequential segmentation queries per
// op through one client and reports the TCP connections opened in all
// (1 when every answer is read to the end and the connection reused).
func BenchmarkSequentialQueries(b *testing.B) {
	srv := mptest.NewServer(b)
	c := mixpanelhttp.New(mixpanelhttp.Options{BaseURL: srv.RegionURL()})
	scope := usScope()
	q := domain.SegmentationQuery{Event: "Login", From: "2026-04-01", To: "2026-04-07"}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		for range 100 {
			if _, err := c.Segmentation(ctx, scope, q); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(srv.Connections()), "conns")
	if n := srv.Count(mptest.RouteSegmentation); n%100 != 0 || n == 0 {
		b.Fatalf("%d segmentation requests, want a multiple of 100", n)
	}
}
