package filestore_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/mpdata/mp/adapters/filestore"
	"github.com/mpdata/mp/domain"
)

// benchStore returns a store over a config file holding n accounts and n
// targets, written by the store itself.
func benchStore(b *testing.B, n int) *filestore.ConfigStore {
	b.Helper()
	home := b.TempDir()
	s := filestore.NewConfigStore(filepath.Join(home, ".mp", "config.toml"), home)
	err := s.Update(context.Background(), func(c *domain.Config) error {
		for i := range n {
			name := domain.AccountName(fmt.Sprintf("acct-%03d", i))
			a := domain.Account{
				Name: name, Type: domain.TypeServiceAccount, Region: domain.RegionEU,
				DefaultProject: domain.ProjectID(fmt.Sprint(1000 + i)), Username: "sa", Secret: domain.NewSecret("secret"),
			}
			if _, err := c.AddAccount(a); err != nil {
				return err
			}
			t := domain.Target{Name: domain.TargetName(fmt.Sprintf("tgt-%03d", i)), Account: name, Project: "42", Workspace: 7}
			if err := c.AddTarget(t); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkLoad measures reading, checking (permissions, symlinks, size)
// and decoding config.toml: the start of every mp command.
func BenchmarkLoad(b *testing.B) {
	for _, n := range []int{3, 50} {
		b.Run(fmt.Sprintf("accounts=%d", n), func(b *testing.B) {
			s := benchStore(b, n)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.Load(context.Background()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkUpdate measures one mutation transaction: lock, re-read,
// validate, encode, write a temp file, fsync, rename, fsync the directory.
// It is dominated by the two fsyncs, so it mostly measures the disk.
func BenchmarkUpdate(b *testing.B) {
	for _, n := range []int{3, 50} {
		b.Run(fmt.Sprintf("accounts=%d", n), func(b *testing.B) {
			s := benchStore(b, n)
			ws := domain.WorkspaceID(1)
			b.ReportAllocs()
			for b.Loop() {
				ws++
				if err := s.Update(context.Background(), func(c *domain.Config) error { return c.SetActiveWorkspace(ws) }); err != nil {
					b.Fatal(err)
				}
			}
			if _, err := os.Stat(filepath.Dir(s.Path())); err != nil {
				b.Fatal(err)
			}
		})
	}
}

// BenchmarkLoadErrorLine measures the error path on a large file (~0.5 MiB,
// 10,000 accounts) whose last account is wrong: finding the line to report
// must stay linear in the file size.
func BenchmarkLoadErrorLine(b *testing.B) {
	home := b.TempDir()
	dir := filepath.Join(home, ".mp")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		b.Fatal(err)
	}
	var buf []byte
	for i := range 10000 {
		buf = fmt.Appendf(buf, "[accounts.a%05d]\ntype = \"oauth_browser\"\nregion = \"us\"\n\n", i)
	}
	buf = append(buf, "[accounts.bad]\ntype = \"oauth_browser\"\nregion = \"mars\"\n"...)
	path := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(path, buf, 0o600); err != nil {
		b.Fatal(err)
	}
	s := filestore.NewConfigStore(path, home)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Load(context.Background()); err == nil {
			b.Fatal("a bad region loaded")
		}
	}
}
