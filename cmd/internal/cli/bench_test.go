package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mpdata/mp/cmd/internal/iostreams"
	"github.com/mpdata/mp/ports/inmem"
)

// writeBigConfig writes HOME/.mp/config.toml with n service accounts and n
// targets (about 170 bytes per pair: 5,000 pairs are ~840 KB, near the
// 1 MiB limit) and returns HOME.
func writeBigConfig(b *testing.B, n int) string {
	b.Helper()
	home := b.TempDir()
	var sb strings.Builder
	sb.WriteString("[active]\naccount = \"a0\"\n")
	for i := range n {
		fmt.Fprintf(&sb, "\n[accounts.a%d]\ntype = \"service_account\"\nregion = \"us\"\ndefault_project = \"%d\"\nusername = \"sa%d\"\nsecret = \"s%d\"\n", i, 1000+i, i, i)
	}
	for i := range n {
		fmt.Fprintf(&sb, "\n[targets.t%d]\naccount = \"a%d\"\nproject = \"%d\"\nworkspace = %d\n", i, i, 1000+i, 7+i)
	}
	dir := filepath.Join(home, ".mp")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "config.toml"), []byte(sb.String()), 0o600); err != nil {
		b.Fatal(err)
	}
	return home
}

// BenchmarkOfflineCommand runs offline commands in-process over a real
// config.toml of n accounts and n targets, through the real wiring (what
// bin/mp does after start-up). Profile one with -cpuprofile.
func BenchmarkOfflineCommand(b *testing.B) {
	cmds := [][]string{
		{"session"},
		{"account", "list", "--format", "json"},
		{"account", "list"},
		{"target", "list", "--format", "json"},
		{"account", "show", "a1", "--format", "json"},
	}
	for _, n := range []int{3, 2500, 5000} {
		home := writeBigConfig(b, n)
		env := inmem.Env{"HOME": home, "NO_COLOR": "1", "DBUS_SESSION_BUS_ADDRESS": "disabled:"}
		for _, args := range cmds {
			b.Run(fmt.Sprintf("n=%d/%s", n, strings.Join(args, "_")), func(b *testing.B) {
				build := FileBackend(env, func() (string, error) { return home, nil })
				for b.Loop() {
					ios, _, out, errOut := iostreams.Test()
					if code := Run(context.Background(), append([]string{"mp"}, args...), ios, env, build); code != 0 {
						b.Fatalf("mp %s: exit %d: %s", strings.Join(args, " "), code, errOut)
					}
					if out.Len() == 0 {
						b.Fatal("no output")
					}
				}
			})
		}
	}
}
