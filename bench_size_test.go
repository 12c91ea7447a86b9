package mp_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	mp "github.com/mpdata/mp"
)

// BenchmarkUseSeenBySize is BenchmarkUseSeen over configs of 6, 54 and
// 2,000 accounts (filler service accounts appended to the file): switching
// among seen sessions must not cost more with a bigger config.
func BenchmarkUseSeenBySize(b *testing.B) {
	for _, n := range []int{6, 54, 2000} {
		b.Run(fmt.Sprintf("accounts=%d", n), func(b *testing.B) {
			f := newFixture(b, 2, 2)
			path := filepath.Join(f.dir, "config.toml")
			var sb strings.Builder
			for i := range n - 3 {
				fmt.Fprintf(&sb, "\n[accounts.filler-%d]\ntype = \"service_account\"\nregion = \"us\"\nusername = \"u\"\nsecret = \"s\"\n", i)
			}
			file, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := file.WriteString(sb.String()); err != nil {
				b.Fatal(err)
			}
			if err := file.Close(); err != nil {
				b.Fatal(err)
			}
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
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if err := ws.Use(ctx, sessions[i%2]...); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}
