package wiring_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.uber.org/zap"

	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/internal/wiring"
	"github.com/mpdata/mp/ports/inmem"
)

// writeConfig writes HOME/.mp/config.toml with n service accounts, each
// with a target.
func writeConfig(tb testing.TB, home string, n int) {
	tb.Helper()
	var sb strings.Builder
	for i := range n {
		fmt.Fprintf(&sb, "[accounts.a%d]\ntype = \"service_account\"\nregion = \"us\"\ndefault_project = \"%d\"\nusername = \"u\"\nsecret = \"s\"\n\n", i, 100+i)
		fmt.Fprintf(&sb, "[targets.t%d]\naccount = \"a%d\"\nproject = \"%d\"\n\n", i, i, 100+i)
	}
	dir := filepath.Join(home, ".mp")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "config.toml"), []byte(sb.String()), 0o600); err != nil {
		tb.Fatal(err)
	}
}

// readOnce runs what one mp command does (Resolve reads the [settings],
// Build, then use cases load the config) and returns the reads of
// config.toml.
func readOnce(tb testing.TB, home string) int {
	tb.Helper()
	ctx := context.Background()
	s := wiring.Resolve(inmem.Env{}, home)
	s.Log = zap.NewNop()
	a, err := wiring.Build(s)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := a.Accounts.List(ctx); err != nil {
		tb.Fatal(err)
	}
	if _, err := a.Targets.List(ctx); err != nil {
		tb.Fatal(err)
	}
	if _, err := a.Accounts.Show(ctx, domain.Selection{}, "a1"); err != nil {
		tb.Fatal(err)
	}
	return wiring.ConfigReads(s)
}

// One process reads and decodes config.toml once: the store Resolve read
// the [settings] with is the one the use cases load from, and a Load of an
// unchanged file reads nothing.
func TestConfigIsReadOncePerProcess(t *testing.T) {
	home := t.TempDir()
	writeConfig(t, home, 3)
	if n := readOnce(t, home); n != 1 {
		t.Fatalf("resolve, build and three use cases read config.toml %d times, want 1", n)
	}
}

// BenchmarkConfigReads reports the reads of config.toml per command
// (reads/op): 1 whatever the config size.
func BenchmarkConfigReads(b *testing.B) {
	for _, n := range []int{3, 2000} {
		b.Run(fmt.Sprintf("accounts=%d", n), func(b *testing.B) {
			home := b.TempDir()
			writeConfig(b, home, n)
			reads := 0
			for b.Loop() {
				reads += readOnce(b, home)
			}
			b.ReportMetric(float64(reads)/float64(b.N), "reads/op")
		})
	}
}
