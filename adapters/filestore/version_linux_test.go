package filestore

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestVersionFollowsTheFiles: the config store's Version stays the same
// while config.toml is untouched, and changes when it appears, is written
// in place (same size), is replaced by a rename, and goes away. The bridge
// store's Version does the same for every candidate location.
func TestVersionFollowsTheFiles(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "config.toml")
	s := NewConfigStore(path, dir)
	b := NewBridgeStore(BridgeOptions{Home: dir, Cwd: filepath.Join(dir, "work")})

	versions := func() (uint64, uint64) {
		t.Helper()
		c, ok := s.Version()
		if !ok {
			t.Fatal("config Version not ok")
		}
		v, ok := b.Version()
		if !ok {
			t.Fatal("bridge Version not ok")
		}
		return c, v
	}
	c0, b0 := versions()
	if c, v := versions(); c != c0 || v != b0 {
		t.Fatalf("Version changed with nothing touched: %d,%d → %d,%d", c0, b0, c, v)
	}
	steps := []struct {
		name    string
		do      func() error
		config  bool // the config's version must change
		bridges bool // the bridge locations' version must change
	}{
		{"config appears", func() error { return os.WriteFile(path, []byte("a = 1\n"), 0o600) }, true, false},
		{"config written in place, same size", func() error { return os.WriteFile(path, []byte("a = 2\n"), 0o600) }, true, false},
		{"config replaced by a rename", func() error {
			tmp := path + ".new"
			if err := os.WriteFile(tmp, []byte("a = 2\n"), 0o600); err != nil {
				return err
			}
			return os.Rename(tmp, path)
		}, true, false},
		{"config removed", func() error { return os.Remove(path) }, true, false},
		{"home bridge appears", func() error {
			p := filepath.Join(dir, ".claude", "mixpanel", "auth.json")
			if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
				return err
			}
			return os.WriteFile(p, []byte("{}"), 0o600)
		}, false, true},
		{"current-directory bridge appears", func() error {
			if err := os.MkdirAll(filepath.Join(dir, "work"), 0o700); err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(dir, "work", BridgeCwdName), []byte("{}"), 0o600)
		}, false, true},
		{"another file in the directory", func() error { return os.WriteFile(filepath.Join(dir, "other"), nil, 0o600) }, false, false},
	}
	for _, st := range steps {
		if err := st.do(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		c, v := versions()
		if (c != c0) != st.config || (v != b0) != st.bridges {
			t.Fatalf("%s: config version %d → %d, bridge version %d → %d; want config changed=%v, bridges changed=%v",
				st.name, c0, c, b0, v, st.config, st.bridges)
		}
		c0, b0 = c, v
	}
}

// BenchmarkVersionFloor is what Use's freshness check is made of, on this
// machine: a bare system call (getpid), one lstat of config.toml without
// allocating, and the Version of the config and of the two bridge
// locations (three lstats) that Use asks for.
func BenchmarkVersionFloor(b *testing.B) {
	dir := b.TempDir()
	path := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(path, []byte("a = 1\n"), 0o600); err != nil {
		b.Fatal(err)
	}
	b.Run("getpid", func(b *testing.B) {
		for b.Loop() {
			_ = syscall.Getpid()
		}
	})
	b.Run("lstat", func(b *testing.B) {
		p := newCPath(path)
		b.ReportAllocs()
		for b.Loop() {
			if _, ok := lstatStamp(&p); !ok {
				b.Fatal("lstat failed")
			}
		}
	})
	b.Run("config+bridges", func(b *testing.B) {
		s := NewConfigStore(path, dir)
		br := NewBridgeStore(BridgeOptions{Home: dir, Cwd: dir})
		b.ReportAllocs()
		for b.Loop() {
			if _, ok := s.Version(); !ok {
				b.Fatal("config Version not ok")
			}
			if _, ok := br.Version(); !ok {
				b.Fatal("bridge Version not ok")
			}
		}
	})
}
