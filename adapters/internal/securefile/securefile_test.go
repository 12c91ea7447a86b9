package securefile_test

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mpdata/mp/adapters/internal/securefile"
	"github.com/mpdata/mp/domain"
)

// layout is a fresh home directory with a credential file path inside it.
type layout struct {
	home string
	path string // <home>/.mp/config.toml
}

func newLayout(t *testing.T) layout {
	t.Helper()
	home := t.TempDir()
	if err := os.Mkdir(filepath.Join(home, ".mp"), 0o700); err != nil {
		t.Fatal(err)
	}
	return layout{home: home, path: filepath.Join(home, ".mp", "config.toml")}
}

func (l layout) opts() securefile.Options { return securefile.Options{Home: l.home} }

func writeRaw(t *testing.T, path string, data []byte, mode fs.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, data, mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil { // the umask may have narrowed it
		t.Fatal(err)
	}
}

// assertUnsafe checks that err is a CREDENTIAL_FILE_UNSAFE refusal naming
// path, whose message contains problem and whose hint contains fix.
func assertUnsafe(t *testing.T, err error, path, problem, fix string) {
	t.Helper()
	var de *domain.Error
	if !errors.As(err, &de) || de.Code != domain.CodeCredentialFileUnsafe {
		t.Fatalf("error = %v, want a CREDENTIAL_FILE_UNSAFE *domain.Error", err)
	}
	if !strings.Contains(de.Error(), path) {
		t.Errorf("message %q does not name the path %s", de.Error(), path)
	}
	if !strings.Contains(de.Error(), problem) {
		t.Errorf("message %q does not say %q", de.Error(), problem)
	}
	if !strings.Contains(de.Hint, fix) {
		t.Errorf("hint %q does not say %q", de.Hint, fix)
	}
	if errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a refusal must not look like a missing file: %v", err)
	}
}

func TestReadFileAcceptsPrivateRegularFile(t *testing.T) {
	for _, mode := range []fs.FileMode{0o600, 0o400, 0o700} {
		l := newLayout(t)
		writeRaw(t, l.path, []byte("x = 1\n"), mode)
		got, err := securefile.ReadFile(l.path, l.opts())
		if err != nil {
			t.Fatalf("mode %04o: %v", mode, err)
		}
		if string(got) != "x = 1\n" {
			t.Fatalf("mode %04o: read %q", mode, got)
		}
	}
}

func TestReadFileMissingIsNotExist(t *testing.T) {
	l := newLayout(t)
	for _, path := range []string{l.path, filepath.Join(l.home, "absent-dir", "config.toml")} {
		_, err := securefile.ReadFile(path, l.opts())
		if !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("ReadFile(%s) error = %v, want fs.ErrNotExist", path, err)
		}
		if domain.CodeOf(err) != "" {
			t.Fatalf("a missing file must not be a refusal: %v", err)
		}
	}
}

func TestReadFileRefusesOpenModes(t *testing.T) {
	for _, mode := range []fs.FileMode{0o644, 0o640, 0o604, 0o620, 0o602, 0o660, 0o666, 0o610, 0o601} {
		l := newLayout(t)
		writeRaw(t, l.path, []byte("x = 1\n"), mode)
		_, err := securefile.ReadFile(l.path, l.opts())
		assertUnsafe(t, err, l.path, "group or others", "chmod 600 "+l.path)
	}
}

func TestReadFileRefusesLeafSymlinks(t *testing.T) {
	t.Run("to a private file", func(t *testing.T) {
		l := newLayout(t)
		real := filepath.Join(l.home, "real.toml")
		writeRaw(t, real, []byte("x = 1\n"), 0o600)
		if err := os.Symlink(real, l.path); err != nil {
			t.Fatal(err)
		}
		_, err := securefile.ReadFile(l.path, l.opts())
		assertUnsafe(t, err, l.path, "symbolic link", "remove the symlink")
	})
	t.Run("dangling", func(t *testing.T) {
		l := newLayout(t)
		if err := os.Symlink(filepath.Join(l.home, "nowhere.toml"), l.path); err != nil {
			t.Fatal(err)
		}
		_, err := securefile.ReadFile(l.path, l.opts())
		assertUnsafe(t, err, l.path, "dangling symbolic link", "remove the symlink")
	})
}

func TestReadFileRefusesSymlinkedDirectoryUnderHome(t *testing.T) {
	home := t.TempDir()
	real := filepath.Join(home, "real-mp")
	if err := os.Mkdir(real, 0o700); err != nil {
		t.Fatal(err)
	}
	writeRaw(t, filepath.Join(real, "config.toml"), []byte("x = 1\n"), 0o600)
	if err := os.Symlink(real, filepath.Join(home, ".mp")); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{
		filepath.Join(home, ".mp", "config.toml"),
		filepath.Join(home, ".mp", "sub", "config.toml"), // deeper, the link is still in the way
	} {
		_, err := securefile.ReadFile(path, securefile.Options{Home: home})
		assertUnsafe(t, err, path, "directory "+filepath.Join(home, ".mp")+" is a symbolic link", "replace the symlinked directory")
	}
}

func TestReadFileTrustRoot(t *testing.T) {
	// The home directory itself may be a symlink (for example /home -> /usr/home).
	t.Run("home is a symlink", func(t *testing.T) {
		base := t.TempDir()
		realHome := filepath.Join(base, "real-home")
		if err := os.MkdirAll(filepath.Join(realHome, ".mp"), 0o700); err != nil {
			t.Fatal(err)
		}
		home := filepath.Join(base, "home")
		if err := os.Symlink(realHome, home); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(home, ".mp", "config.toml")
		writeRaw(t, path, []byte("ok"), 0o600)
		if _, err := securefile.ReadFile(path, securefile.Options{Home: home}); err != nil {
			t.Fatalf("ReadFile under a symlinked home: %v", err)
		}
	})
	// Outside home only the file's own directory is trusted as is.
	t.Run("outside home the parent may be a symlink", func(t *testing.T) {
		base := t.TempDir()
		real := filepath.Join(base, "real")
		if err := os.Mkdir(real, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(real, filepath.Join(base, "link")); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(base, "link", "config.toml")
		writeRaw(t, path, []byte("ok"), 0o600)
		if _, err := securefile.ReadFile(path, securefile.Options{Home: t.TempDir()}); err != nil {
			t.Fatalf("ReadFile outside home: %v", err)
		}
		if _, err := securefile.ReadFile(path, securefile.Options{}); err != nil {
			t.Fatalf("ReadFile without a home: %v", err)
		}
	})
}

func TestReadFileRefusesNonRegular(t *testing.T) {
	l := newLayout(t)
	if err := os.Mkdir(l.path, 0o700); err != nil {
		t.Fatal(err)
	}
	_, err := securefile.ReadFile(l.path, l.opts())
	assertUnsafe(t, err, l.path, "a directory, not a regular file", l.path+" is a directory: give the path of a file")
}

// TestDirectoryHintsNeverSayRemove: a directory given where a credential
// file belongs (say --to $HOME) is refused by every operation with a hint
// asking for the path of a file — never one to remove the directory — and
// Lock creates no lock file beside it.
func TestDirectoryHintsNeverSayRemove(t *testing.T) {
	ops := []struct {
		name string
		run  func(path string, opts securefile.Options) error
	}{
		{"read", func(p string, o securefile.Options) error { _, err := securefile.ReadFile(p, o); return err }},
		{"write", func(p string, o securefile.Options) error { return securefile.WriteFile(p, []byte("x"), o) }},
		{"remove", func(p string, o securefile.Options) error { _, err := securefile.RemoveFile(p, o); return err }},
		{"lock", func(p string, o securefile.Options) error {
			unlock, err := securefile.Lock(context.Background(), p, o)
			if err == nil {
				_ = unlock()
			}
			return err
		}},
	}
	for _, op := range ops {
		t.Run(op.name, func(t *testing.T) {
			home := t.TempDir()
			dir := filepath.Join(home, "projects")
			if err := os.Mkdir(dir, 0o700); err != nil {
				t.Fatal(err)
			}
			err := op.run(dir, securefile.Options{Home: home})
			assertUnsafe(t, err, dir, "a directory", dir+" is a directory: give the path of a file")
			var de *domain.Error
			errors.As(err, &de)
			if h := strings.ReplaceAll(de.Hint, dir, "DIR"); strings.Contains(strings.ToLower(h), "remove") || strings.Contains(h, "rm ") {
				t.Fatalf("hint %q suggests removing the directory", de.Hint)
			}
			assertOnlyEntries(t, home, "projects")
		})
	}
}

// TestLockRefusesSymlinkTarget: a lock for a symlink creates no lock file.
func TestLockRefusesSymlinkTarget(t *testing.T) {
	l := newLayout(t)
	writeRaw(t, filepath.Join(l.home, "real"), []byte("x"), 0o600)
	if err := os.Symlink(filepath.Join(l.home, "real"), l.path); err != nil {
		t.Fatal(err)
	}
	_, err := securefile.Lock(context.Background(), l.path, l.opts())
	assertUnsafe(t, err, l.path, "symbolic link", "rm "+l.path)
	assertOnlyEntries(t, filepath.Dir(l.path), "config.toml")
}

// TestReadFileCheckSeesTheOpenedFile: Options.Check is called with what
// was opened, and its error is returned as is.
func TestReadFileCheckSeesTheOpenedFile(t *testing.T) {
	l := newLayout(t)
	writeRaw(t, l.path, []byte("data"), 0o600)
	want, err := os.Stat(l.path)
	if err != nil {
		t.Fatal(err)
	}
	refused := errors.New("refused by the caller")
	var seen fs.FileInfo
	opts := l.opts()
	opts.Check = func(fi fs.FileInfo) error { seen = fi; return refused }
	if _, err := securefile.ReadFile(l.path, opts); !errors.Is(err, refused) {
		t.Fatalf("ReadFile = %v, want the Check error", err)
	}
	if seen == nil || !os.SameFile(seen, want) {
		t.Fatalf("Check saw %v, want the file at %s", seen, l.path)
	}
	opts.Check = func(fs.FileInfo) error { return nil }
	if got, err := securefile.ReadFile(l.path, opts); err != nil || string(got) != "data" {
		t.Fatalf("ReadFile with a passing Check = %q, %v", got, err)
	}
}

func TestReadFileSizeLimit(t *testing.T) {
	l := newLayout(t)
	writeRaw(t, l.path, bytes.Repeat([]byte("#"), securefile.MaxSize), 0o600)
	got, err := securefile.ReadFile(l.path, l.opts())
	if err != nil || len(got) != securefile.MaxSize {
		t.Fatalf("ReadFile of exactly 1 MiB: %d bytes, %v", len(got), err)
	}
	writeRaw(t, l.path, bytes.Repeat([]byte("#"), securefile.MaxSize+1), 0o600)
	_, err = securefile.ReadFile(l.path, l.opts())
	assertUnsafe(t, err, l.path, "1 MiB", "move it aside")
}

func TestWriteFileCreatesPrivateFileAndDirs(t *testing.T) {
	home := t.TempDir()
	path := filepath.Join(home, ".mp", "accounts", "a", "tokens.json")
	if err := securefile.WriteFile(path, []byte("one"), securefile.Options{Home: home}); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{filepath.Join(home, ".mp"), filepath.Join(home, ".mp", "accounts"), filepath.Dir(path)} {
		fi, err := os.Stat(d)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o700 {
			t.Errorf("directory %s has mode %04o, want 0700", d, fi.Mode().Perm())
		}
	}
	assertFile(t, path, "one")
	if err := securefile.WriteFile(path, []byte("two"), securefile.Options{Home: home}); err != nil {
		t.Fatal(err)
	}
	assertFile(t, path, "two")
	assertOnlyEntries(t, filepath.Dir(path), "tokens.json")
}

func TestWriteFileReplacesOpenModeWithPrivate(t *testing.T) {
	l := newLayout(t)
	writeRaw(t, l.path, []byte("old"), 0o644)
	if err := securefile.WriteFile(l.path, []byte("new"), l.opts()); err != nil {
		t.Fatal(err)
	}
	assertFile(t, l.path, "new")
}

func TestWriteFileRefusesSymlinks(t *testing.T) {
	t.Run("leaf", func(t *testing.T) {
		l := newLayout(t)
		real := filepath.Join(l.home, "real.toml")
		writeRaw(t, real, []byte("real"), 0o600)
		if err := os.Symlink(real, l.path); err != nil {
			t.Fatal(err)
		}
		err := securefile.WriteFile(l.path, []byte("evil"), l.opts())
		assertUnsafe(t, err, l.path, "symbolic link", "remove the symlink")
		assertFile(t, real, "real")
		assertOnlyEntries(t, filepath.Dir(l.path), "config.toml")
	})
	t.Run("dangling leaf", func(t *testing.T) {
		l := newLayout(t)
		dest := filepath.Join(l.home, "created-through-link")
		if err := os.Symlink(dest, l.path); err != nil {
			t.Fatal(err)
		}
		err := securefile.WriteFile(l.path, []byte("evil"), l.opts())
		assertUnsafe(t, err, l.path, "dangling symbolic link", "remove the symlink")
		if _, err := os.Lstat(dest); !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("WriteFile created the symlink's destination: %v", err)
		}
	})
	t.Run("directory", func(t *testing.T) {
		home := t.TempDir()
		real := filepath.Join(t.TempDir(), "elsewhere")
		if err := os.Mkdir(real, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(real, filepath.Join(home, ".mp")); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(home, ".mp", "config.toml")
		err := securefile.WriteFile(path, []byte("evil"), securefile.Options{Home: home})
		assertUnsafe(t, err, path, "is a symbolic link", "replace the symlinked directory")
		assertOnlyEntries(t, real)
	})
}

func TestWriteFileReadOnlyDirectoryLeavesNoTrace(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root ignores directory permissions; the injected-failure test in write_internal_test.go covers this path")
	}
	l := newLayout(t)
	writeRaw(t, l.path, []byte("old"), 0o600)
	dir := filepath.Dir(l.path)
	if err := os.Chmod(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(dir, 0o700) })
	if err := securefile.WriteFile(l.path, []byte("new"), l.opts()); err == nil {
		t.Fatal("WriteFile into a read-only directory succeeded")
	}
	assertFile(t, l.path, "old")
	assertOnlyEntries(t, dir, "config.toml")
}

func TestLockExcludesAndHonoursContext(t *testing.T) {
	l := newLayout(t)
	ctx := context.Background()
	unlock, err := securefile.Lock(ctx, l.path, l.opts())
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(l.path + ".lock")
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("lock file mode %04o, want 0600", fi.Mode().Perm())
	}

	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if _, err := securefile.Lock(short, l.path, l.opts()); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("second Lock while held: error = %v, want context.DeadlineExceeded", err)
	}

	acquired := make(chan func() error, 1)
	go func() {
		u, err := securefile.Lock(ctx, l.path, l.opts())
		if err != nil {
			t.Errorf("waiting Lock: %v", err)
			close(acquired)
			return
		}
		acquired <- u
	}()
	select {
	case <-acquired:
		t.Fatal("a second Lock was granted while the first was held")
	case <-time.After(50 * time.Millisecond):
	}
	if err := unlock(); err != nil {
		t.Fatal(err)
	}
	u, ok := <-acquired
	if !ok {
		t.Fatal("waiting Lock failed")
	}
	if err := u(); err != nil {
		t.Fatal(err)
	}
}

func TestLockCancelledContextTouchesNothing(t *testing.T) {
	home := t.TempDir()
	path := filepath.Join(home, ".mp", "config.toml")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := securefile.Lock(ctx, path, securefile.Options{Home: home}); !errors.Is(err, context.Canceled) {
		t.Fatalf("Lock with a cancelled context: error = %v, want context.Canceled", err)
	}
	assertOnlyEntries(t, home)
}

func TestLockRefusesSymlinkedLockFile(t *testing.T) {
	l := newLayout(t)
	dest := filepath.Join(l.home, "elsewhere.lock")
	if err := os.Symlink(dest, l.path+".lock"); err != nil {
		t.Fatal(err)
	}
	_, err := securefile.Lock(context.Background(), l.path, l.opts())
	assertUnsafe(t, err, l.path+".lock", "symbolic link", "remove the symlink")
	if _, err := os.Lstat(dest); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Lock created the symlink's destination: %v", err)
	}
}

func TestRemoveAll(t *testing.T) {
	t.Run("missing is fine", func(t *testing.T) {
		l := newLayout(t)
		if err := securefile.RemoveAll(filepath.Join(l.home, ".mp", "accounts", "x"), l.opts()); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("removes the tree but not what symlinks inside point to", func(t *testing.T) {
		l := newLayout(t)
		outside := filepath.Join(l.home, "keep.txt")
		writeRaw(t, outside, []byte("keep"), 0o600)
		dir := filepath.Join(l.home, ".mp", "accounts", "x")
		if err := os.MkdirAll(filepath.Join(dir, "sub"), 0o700); err != nil {
			t.Fatal(err)
		}
		writeRaw(t, filepath.Join(dir, "tokens.json"), []byte("{}"), 0o600)
		if err := os.Symlink(outside, filepath.Join(dir, "sub", "link")); err != nil {
			t.Fatal(err)
		}
		if err := securefile.RemoveAll(dir, l.opts()); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Lstat(dir); !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("directory still there: %v", err)
		}
		assertFile(t, outside, "keep")
	})
	t.Run("refuses a symlinked directory", func(t *testing.T) {
		l := newLayout(t)
		real := filepath.Join(l.home, "precious")
		if err := os.Mkdir(real, 0o700); err != nil {
			t.Fatal(err)
		}
		writeRaw(t, filepath.Join(real, "data"), []byte("keep"), 0o600)
		dir := filepath.Join(l.home, ".mp", "x")
		if err := os.Symlink(real, dir); err != nil {
			t.Fatal(err)
		}
		err := securefile.RemoveAll(dir, l.opts())
		assertUnsafe(t, err, dir, "symbolic link", "remove the symlink yourself")
		assertFile(t, filepath.Join(real, "data"), "keep")
	})
	t.Run("refuses a symlinked parent", func(t *testing.T) {
		l := newLayout(t)
		real := filepath.Join(l.home, "real-accounts")
		if err := os.MkdirAll(filepath.Join(real, "x"), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(real, filepath.Join(l.home, ".mp", "accounts")); err != nil {
			t.Fatal(err)
		}
		dir := filepath.Join(l.home, ".mp", "accounts", "x")
		err := securefile.RemoveAll(dir, l.opts())
		assertUnsafe(t, err, dir, "is a symbolic link", "replace the symlinked directory")
		if _, err := os.Stat(filepath.Join(real, "x")); err != nil {
			t.Fatalf("directory behind the symlink was touched: %v", err)
		}
	})
	t.Run("refuses a regular file", func(t *testing.T) {
		l := newLayout(t)
		writeRaw(t, l.path, []byte("x"), 0o600)
		err := securefile.RemoveAll(l.path, l.opts())
		assertUnsafe(t, err, l.path, "not a directory", "remove it yourself")
		assertFile(t, l.path, "x")
	})
}

func assertFile(t *testing.T, path, want string) {
	t.Helper()
	fi, err := os.Lstat(path)
	if err != nil {
		t.Fatal(err)
	}
	if !fi.Mode().IsRegular() || fi.Mode().Perm() != 0o600 {
		t.Errorf("%s: mode %v, want a regular file with mode 0600", path, fi.Mode())
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("%s holds %q, want %q", path, got, want)
	}
}

// assertOnlyEntries checks that dir holds exactly the named entries (so no
// temporary file was left behind).
func assertOnlyEntries(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if strings.Join(got, ",") != strings.Join(names, ",") {
		t.Fatalf("%s holds %v, want %v", dir, got, names)
	}
}

// TestReadDuringAtomicRewritesSucceeds: an unlocked reader racing another
// process's atomic rewrites always sees a whole old or new file, never a
// refusal — the swap of the inode is what an atomic write is.
func TestReadDuringAtomicRewritesSucceeds(t *testing.T) {
	l := newLayout(t)
	versions := [][]byte{[]byte("version = 1\n"), []byte("version = 2 # longer\n")}
	if err := securefile.WriteFile(l.path, versions[0], l.opts()); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 100 {
			if err := securefile.WriteFile(l.path, versions[i%2], l.opts()); err != nil {
				t.Errorf("write %d: %v", i, err)
				return
			}
		}
	}()
	for reads := 0; ; reads++ {
		select {
		case <-done:
			if reads == 0 {
				t.Fatal("no read overlapped the writes")
			}
			return
		default:
		}
		data, err := securefile.ReadFile(l.path, l.opts())
		if err != nil {
			t.Fatalf("read %d during rewrites: %v", reads, err)
		}
		if !bytes.Equal(data, versions[0]) && !bytes.Equal(data, versions[1]) {
			t.Fatalf("read %d saw a torn file: %q", reads, data)
		}
	}
}
