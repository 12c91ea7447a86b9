//go:build unix

package securefile_test

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/mpdata/mp/adapters/internal/securefile"
)

// A killed writer leaves its temporary file (holding the whole secret)
// with nobody holding it: the next write of the same file removes it. A
// live writer's temporary file (held by its flock), another file's
// temporary file, other names and a symlink of the temporary naming stay.
func TestWriteFileSweepsOnlyAbandonedTemporaryFiles(t *testing.T) {
	l := newLayout(t)
	dir := filepath.Dir(l.path)
	base := filepath.Base(l.path)
	abandoned := filepath.Join(dir, "."+base+".tmp-111")
	live := filepath.Join(dir, "."+base+".tmp-222")
	other := filepath.Join(dir, ".other.json.tmp-333")
	unrelated := filepath.Join(dir, base+".bak")
	link := filepath.Join(dir, "."+base+".tmp-444")
	outside := filepath.Join(l.home, "outside")
	for _, p := range []string{abandoned, live, other, unrelated, outside} {
		writeRaw(t, p, []byte("secret"), 0o600)
	}
	if err := os.Symlink(outside, link); err != nil {
		t.Fatal(err)
	}
	holder, err := os.Open(live)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	if err := syscall.Flock(int(holder.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		t.Fatal(err)
	}

	if err := securefile.WriteFile(l.path, []byte("new"), l.opts()); err != nil {
		t.Fatal(err)
	}

	if _, err := os.Lstat(abandoned); !os.IsNotExist(err) {
		t.Errorf("the abandoned temporary file is still there (%v)", err)
	}
	for _, p := range []string{live, other, unrelated, link, outside} {
		if _, err := os.Lstat(p); err != nil {
			t.Errorf("%s was removed: %v", filepath.Base(p), err)
		}
	}
	if data, err := os.ReadFile(l.path); err != nil || string(data) != "new" {
		t.Fatalf("target = %q, %v", data, err)
	}
}

// Removing a file removes what a killed writer of it left beside it, so no
// copy of the removed secret survives.
func TestRemoveFileSweepsAbandonedTemporaryFiles(t *testing.T) {
	l := newLayout(t)
	writeRaw(t, l.path, []byte("secret"), 0o600)
	stale := filepath.Join(filepath.Dir(l.path), "."+filepath.Base(l.path)+".tmp-999")
	writeRaw(t, stale, []byte("secret"), 0o600)

	removed, err := securefile.RemoveFile(l.path, l.opts())
	if err != nil || !removed {
		t.Fatalf("RemoveFile: removed %t, err %v", removed, err)
	}
	if _, err := os.Lstat(stale); !os.IsNotExist(err) {
		t.Errorf("the abandoned temporary file survived the removal (%v)", err)
	}
}

// Writers that run at the same time never sweep each other's temporary
// file: every write lands.
func TestConcurrentWritesDoNotSweepEachOther(t *testing.T) {
	l := newLayout(t)
	errs := make(chan error, 64)
	for i := range 64 {
		go func() { errs <- securefile.WriteFile(l.path, []byte{byte(i)}, l.opts()) }()
	}
	for range 64 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	entries, _ := os.ReadDir(filepath.Dir(l.path))
	for _, e := range entries {
		if securefile.IsTempName(e.Name()) {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
}
