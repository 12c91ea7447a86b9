package filestore_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/mpdata/mp/adapters/filestore"
	"github.com/mpdata/mp/domain"
)

const stampConfig = "[accounts.aa]\ntype = \"service_account\"\nregion = \"us\"\nusername = \"u\"\nsecret = \"s\"\n"

// sh runs a shell command in another process: what another mp, the Python
// tool or an editor does to the file while this process holds a store.
func sh(t *testing.T, script string, args ...string) {
	t.Helper()
	out, err := exec.Command("/bin/sh", append([]string{"-c", script, "sh"}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("sh -c %q: %v\n%s", script, err, out)
	}
}

func mustLoad(t *testing.T, s *filestore.ConfigStore) domain.Config {
	t.Helper()
	cfg, err := s.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// Load reads an unchanged file once, and sees every change another process
// makes between two Loads: an atomic replacement, an in-place rewrite of
// the same size, a chmod that makes the file unsafe, a symlink put in its
// place.
func TestLoadSeesAnotherProcesssChange(t *testing.T) {
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Skip("no /bin/sh to play the other process")
	}
	e := newEnv(t)
	e.write(t, stampConfig)
	s := e.store()
	mustLoad(t, s)
	mustLoad(t, s)
	if n := s.ReadCount(); n != 1 {
		t.Fatalf("two Loads of an unchanged file read it %d times, want 1", n)
	}

	// Atomic replacement (a new inode), as another mp writes.
	sh(t, `printf '%s' "$2" > "$1.new" && chmod 600 "$1.new" && mv "$1.new" "$1"`, e.path, strings.Replace(stampConfig, "aa", "bb", 1))
	if _, ok := mustLoad(t, s).Account("bb"); !ok {
		t.Fatal("Load after another process replaced the file still shows the old config")
	}

	// In-place rewrite of the same size (same inode): mtime and ctime change.
	sh(t, `printf '%s' "$2" > "$1"`, e.path, strings.Replace(stampConfig, "aa", "cc", 1))
	if _, ok := mustLoad(t, s).Account("cc"); !ok {
		t.Fatal("Load after an in-place rewrite of the same size still shows the old config")
	}

	// A chmod makes the unchanged content unsafe: the check runs again.
	sh(t, `chmod 644 "$1"`, e.path)
	_, err := s.Load(context.Background())
	assertError(t, err, domain.CodeCredentialFileUnsafe, e.path)
	sh(t, `chmod 600 "$1"`, e.path)
	mustLoad(t, s)

	// A symlink in its place is refused, even to the very file read before.
	sh(t, `mv "$1" "$1.real" && ln -s "$1.real" "$1"`, e.path)
	_, err = s.Load(context.Background())
	assertError(t, err, domain.CodeCredentialFileUnsafe, "symbolic link")

	// Removed: an empty config.
	sh(t, `rm "$1"`, e.path)
	if cfg := mustLoad(t, s); !cfg.IsEmpty() {
		t.Fatal("Load after the file was removed still shows a config")
	}
}

// A Config handed out by Load is the caller's: changing it changes neither
// the store's next Load nor another caller's copy.
func TestLoadedConfigsAreIndependent(t *testing.T) {
	e := newEnv(t)
	e.write(t, stampConfig)
	s := e.store()
	a, b := mustLoad(t, s), mustLoad(t, s)
	if _, err := a.RemoveAccount("aa", true); err != nil {
		t.Fatal(err)
	}
	if _, ok := b.Account("aa"); !ok {
		t.Fatal("removing an account from one loaded Config removed it from another")
	}
	if _, ok := mustLoad(t, s).Account("aa"); !ok {
		t.Fatal("removing an account from a loaded Config changed the store's next Load")
	}
}

// BenchmarkLoadUnchanged measures Load of a file that has not changed since
// the last Load (one stat): independent of the config size.
func BenchmarkLoadUnchanged(b *testing.B) {
	for _, n := range []int{3, 50, 2000} {
		b.Run(fmt.Sprintf("accounts=%d", n), func(b *testing.B) {
			s := benchStore(b, n)
			ctx := context.Background()
			if _, err := s.Load(ctx); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.Load(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
