package target

import (
	"context"
	"fmt"
	"testing"

	"github.com/mpdata/mp/cmd/internal/command/commandtest"
	"github.com/mpdata/mp/cmd/internal/render"
)

// BenchmarkListRun measures `mp target list` after the config is decoded
// (use case and renderer only) over n service accounts and n targets, the
// shape of cmd/internal/cli's BenchmarkOfflineCommand, into a discarding
// stdout.
func BenchmarkListRun(b *testing.B) {
	for _, n := range []int{3, 5000} {
		cfg := commandtest.BigConfig(b, n)
		for _, f := range []render.Format{render.Table, render.JSON} {
			b.Run(fmt.Sprintf("n=%d/%s", n, f), func(b *testing.B) {
				ios, fac := commandtest.SharedFactory(cfg)
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
